provider "aws" {
  region = "eu-west-1"
}

# The secrets are made outside Terraform (see the README), so that no secret value is written here or in Terraform's
# state, and they hold their values before the function's first start (with SnapStart, when a version is published).
variable "api_token_secret_arn" {
  description = "Secret whose string is the API token."
  type        = string
}

variable "settings_secret_arn" {
  description = "Secret holding a JSON object of secret settings, e.g. the webhook secrets."
  type        = string
}

variable "credentials_secret_arn" {
  description = "Secret holding {\"host\": \"user:password\"} for registries other than ECR."
  type        = string
}

module "recast" {
  source = "../.."

  name                   = "recast"
  package_type           = "jvm"
  package_path           = "${path.root}/../../../target/lambda/function.zip"
  architecture           = "x86_64"
  memory_size            = 3008
  timeout                = 900
  reserved_concurrency   = 10
  allowed_registries     = ["123456789012.dkr.ecr.eu-west-1.amazonaws.com", "ghcr.io"]
  ecr_repositories       = ["team/app", "team/worker"]
  credentials_secret_arn = var.credentials_secret_arn
  api_token_secret_arn   = var.api_token_secret_arn
  settings_secret_arn    = var.settings_secret_arn
  function_url_auth      = "NONE"
  expose_api             = false
  # registry migrations fanned out over SQS (README "Migrating a registry" → "On AWS")
  migration_worker_concurrency = 10
  alarm_actions                = []
  rules = jsonencode([{
    repository = "team/**"
    tag        = "(?<version>.+)-(?<arch>amd64|arm64)"
    convert    = { target = "{repository}:{tag}-oci" }
    index      = { group = "(?<version>.+)-(?<arch>amd64|arm64)", target = "{repository}:{version}", platforms = ["amd64", "arm64"], convert = true }
  }])
}

output "function_url" {
  value = module.recast.function_url
}

output "migration_queue_url" {
  value = module.recast.migration_queue_url
}
