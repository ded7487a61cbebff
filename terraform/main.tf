data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

locals {
  native  = var.package_type == "native"
  runtime = local.native ? "provided.al2023" : "java21"
  # The JVM runtime enters through Quarkus's stream handler, which finds the @Named("recast") RequestHandler;
  # a native zip's bootstrap ignores the handler name.
  handler = local.native ? "not.used.in.native" : "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest"
  ecr_repository_arns = [
    for repository in var.ecr_repositories :
    "arn:aws:ecr:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:repository/${repository}"
  ]
  # every secret the function reads, by its exact ARN: the role may read these and no other
  secret_arns = compact([var.credentials_secret_arn, var.settings_secret_arn, var.api_token_secret_arn])
  # no token is only allowed behind IAM auth (variables.tf): the API then runs anonymous, reached on loopback only
  anonymous = var.api_token_secret_arn == ""
  # the module's own keys come last so that var.environment cannot override them; no value here is a secret
  environment = merge(var.environment, {
    QUARKUS_LAMBDA_HANDLER               = "recast"
    DISABLE_SIGNAL_HANDLERS              = "true"
    RECAST_WEBHOOKS_SYNCHRONOUS          = "true"
    RECAST_REGISTRIES_ALLOWED            = join(",", var.allowed_registries)
    RECAST_WEBHOOKS_RULES                = var.rules
    RECAST_API_ANONYMOUS                 = tostring(local.anonymous)
    RECAST_LAMBDA_EXPOSE_API             = tostring(var.expose_api)
    RECAST_LAMBDA_CREDENTIALS_SECRET_ARN = var.credentials_secret_arn
    RECAST_LAMBDA_SETTINGS_SECRET_ARN    = var.settings_secret_arn
    RECAST_LAMBDA_API_TOKEN_SECRET_ARN   = var.api_token_secret_arn
    # a list or index too large for one invocation is split per platform onto the queue this function consumes
    RECAST_LAMBDA_FANOUT_QUEUE_URL = aws_sqs_queue.work.url
    # a migration's planner sends one message per image here (migration.tf)
    RECAST_LAMBDA_MIGRATION_QUEUE_URL = aws_sqs_queue.migration.url
  })
}

resource "aws_cloudwatch_log_group" "function" {
  name              = "/aws/lambda/${var.name}"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

resource "aws_sqs_queue" "dead_letters" {
  name                      = "${var.name}-dead-letters"
  message_retention_seconds = 1209600
  tags                      = var.tags
}

resource "aws_sqs_queue" "work" {
  name                       = "${var.name}-work"
  visibility_timeout_seconds = var.timeout * 6
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dead_letters.arn
    maxReceiveCount     = 3
  })
  tags = var.tags
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "function" {
  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.function.arn}:*"]
  }
  statement {
    sid       = "EcrToken"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }
  dynamic "statement" {
    for_each = length(local.ecr_repository_arns) > 0 ? [1] : []
    content {
      sid = "EcrPullPush"
      actions = [
        "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability",
        "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:PutImage",
      ]
      resources = local.ecr_repository_arns
    }
  }
  dynamic "statement" {
    for_each = length(local.secret_arns) > 0 ? [1] : []
    content {
      sid       = "Secrets"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = local.secret_arns
    }
  }
  statement {
    sid       = "WorkQueue"
    actions   = ["sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]
    resources = [aws_sqs_queue.work.arn]
  }
  # the planner's side of a migration: the workers (migration.tf) receive and delete
  statement {
    sid       = "MigrationPlan"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.migration.arn]
  }
  # Lambda's own dead_letter_config sends failed asynchronous events with the role; reading or deleting them is
  # left to people (the work queue's redrive needs no role permission)
  statement {
    sid       = "DeadLetters"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.dead_letters.arn]
  }
}

resource "aws_iam_role" "function" {
  name               = "${var.name}-function"
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = var.tags
}

resource "aws_iam_role_policy" "function" {
  name   = "${var.name}-function"
  role   = aws_iam_role.function.id
  policy = data.aws_iam_policy_document.function.json
}

resource "aws_lambda_function" "recast" {
  function_name    = var.name
  role             = aws_iam_role.function.arn
  filename         = var.package_path
  source_code_hash = filebase64sha256(var.package_path)
  runtime          = local.runtime
  handler          = local.handler
  architectures    = [var.architecture]
  memory_size      = var.memory_size
  timeout          = var.timeout
  # bounds what a flood of requests can cost, and keeps the account's other functions running
  reserved_concurrent_executions = var.reserved_concurrency
  publish          = true
  ephemeral_storage {
    size = var.ephemeral_storage
  }
  environment {
    variables = local.environment
  }
  dead_letter_config {
    target_arn = aws_sqs_queue.dead_letters.arn
  }
  dynamic "snap_start" {
    for_each = local.native ? [] : [1]
    content {
      apply_on = "PublishedVersions"
    }
  }
  depends_on = [aws_cloudwatch_log_group.function, aws_iam_role_policy.function]
  tags       = var.tags
}

resource "aws_lambda_alias" "live" {
  name             = "live"
  function_name    = aws_lambda_function.recast.function_name
  function_version = aws_lambda_function.recast.version
}

resource "aws_lambda_function_url" "recast" {
  function_name      = aws_lambda_function.recast.function_name
  qualifier          = aws_lambda_alias.live.name
  authorization_type = var.function_url_auth
}

# an unauthenticated function URL still needs a resource policy letting anyone call it through the URL (and only so)
resource "aws_lambda_permission" "function_url" {
  count                  = var.function_url_auth == "NONE" ? 1 : 0
  statement_id           = "AllowPublicFunctionUrl"
  action                 = "lambda:InvokeFunctionUrl"
  function_name          = aws_lambda_function.recast.function_name
  qualifier              = aws_lambda_alias.live.name
  principal              = "*"
  function_url_auth_type = "NONE"
}

resource "aws_lambda_event_source_mapping" "work" {
  event_source_arn        = aws_sqs_queue.work.arn
  function_name           = aws_lambda_alias.live.arn
  batch_size              = 1
  function_response_types = ["ReportBatchItemFailures"]
}

resource "aws_cloudwatch_event_rule" "ecr_push" {
  count       = length(var.ecr_repositories) > 0 ? 1 : 0
  name        = "${var.name}-ecr-push"
  description = "Successful pushes to the watched ECR repositories"
  event_pattern = jsonencode({
    source      = ["aws.ecr"]
    detail-type = ["ECR Image Action"]
    detail = {
      action-type     = ["PUSH"]
      result          = ["SUCCESS"]
      repository-name = var.ecr_repositories
    }
  })
  tags = var.tags
}

resource "aws_cloudwatch_event_target" "ecr_push" {
  count = length(var.ecr_repositories) > 0 ? 1 : 0
  rule  = aws_cloudwatch_event_rule.ecr_push[0].name
  arn   = aws_lambda_alias.live.arn
  retry_policy {
    maximum_retry_attempts       = 2
    maximum_event_age_in_seconds = 3600
  }
  dead_letter_config {
    arn = aws_sqs_queue.dead_letters.arn
  }
}

# EventBridge sends the events it could not deliver to the dead-letter queue with its own identity, for this rule only
data "aws_iam_policy_document" "dead_letters" {
  count = length(var.ecr_repositories) > 0 ? 1 : 0
  statement {
    sid       = "EventBridgeDeadLetters"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.dead_letters.arn]
    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }
    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [aws_cloudwatch_event_rule.ecr_push[0].arn]
    }
  }
}

resource "aws_sqs_queue_policy" "dead_letters" {
  count     = length(var.ecr_repositories) > 0 ? 1 : 0
  queue_url = aws_sqs_queue.dead_letters.id
  policy    = data.aws_iam_policy_document.dead_letters[0].json
}

resource "aws_lambda_permission" "ecr_push" {
  count         = length(var.ecr_repositories) > 0 ? 1 : 0
  statement_id  = "AllowEcrPushEvents"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.recast.function_name
  qualifier     = aws_lambda_alias.live.name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.ecr_push[0].arn
}
