provider "aws" {
  region = "eu-west-1"
}

resource "aws_secretsmanager_secret" "registries" {
  name = "recast/registry-credentials"
}

module "recast" {
  source = "../.."

  name                   = "recast"
  package_type           = "jvm"
  package_path           = "${path.root}/../../../target/function.zip"
  architecture           = "x86_64"
  memory_size            = 3008
  timeout                = 900
  allowed_registries     = ["123456789012.dkr.ecr.eu-west-1.amazonaws.com", "ghcr.io"]
  ecr_repositories       = ["team/app", "team/worker"]
  credentials_secret_arn = aws_secretsmanager_secret.registries.arn
  rules = jsonencode([{
    repository = "team/**"
    tag        = "(?<version>.+)-(?<arch>amd64|arm64)"
    convert    = { target = "{repository}:{tag}-oci" }
    index      = { group = "(?<version>.+)-(?<arch>amd64|arm64)", target = "{repository}:{version}", platforms = ["amd64", "arm64"], convert = true }
  }])
  environment = {
    RECAST_WEBHOOKS_GITHUB_SECRET = "replace-me-or-use-a-secret"
  }
}

output "function_url" {
  value = module.recast.function_url
}
