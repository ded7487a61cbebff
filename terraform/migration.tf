# Registry migrations fanned out over SQS (README "Migrating a registry" → "On AWS"). The function above is the
# planner: invoked with {"recastMigration": {...}} it lists the registry, records the plan in the registry and sends
# one message per image left to the migration queue; it may only send there. A worker function of its own (the same
# package, its own role) consumes the queue, one image per message, at most migration_worker_concurrency at once, and
# records each result in the registry, where {"recastMigrationSummary": {...}} reads the run back. An image that keeps
# failing goes to the migration dead-letter queue after migration_max_receive_count deliveries; the alarm says so.

locals {
  # the worker plans nothing and splits nothing: no queue to send to. It serves no API either: it handles its queue's
  # image messages only (RECAST_LAMBDA_MIGRATION_WORKER), so it gets no API token (nor may read its secret) and its
  # unused API stays anonymous on loopback
  migration_worker_environment = merge(local.environment, {
    RECAST_LAMBDA_FANOUT_QUEUE_URL     = ""
    RECAST_LAMBDA_MIGRATION_QUEUE_URL  = ""
    RECAST_LAMBDA_MIGRATION_WORKER     = "true"
    RECAST_LAMBDA_EXPOSE_API           = "false"
    RECAST_LAMBDA_API_TOKEN_SECRET_ARN = ""
    RECAST_API_ANONYMOUS               = "true"
  })
  migration_worker_secret_arns = compact([var.credentials_secret_arn, var.settings_secret_arn])
}

resource "aws_sqs_queue" "migration_dead_letters" {
  name                      = "${var.name}-migration-dead-letters"
  message_retention_seconds = 1209600
  tags                      = var.tags
}

resource "aws_sqs_queue" "migration" {
  name = "${var.name}-migration"
  # a message comes back only once the invocation that took it is surely over (six times the timeout, as AWS advises)
  visibility_timeout_seconds = var.timeout * 6
  message_retention_seconds  = 1209600
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.migration_dead_letters.arn
    maxReceiveCount     = var.migration_max_receive_count
  })
  tags = var.tags
}

# the dead-letter queue takes the migration queue's failures and no other queue's
resource "aws_sqs_queue_redrive_allow_policy" "migration_dead_letters" {
  queue_url = aws_sqs_queue.migration_dead_letters.id
  redrive_allow_policy = jsonencode({
    redrivePermission = "byQueue"
    sourceQueueArns   = [aws_sqs_queue.migration.arn]
  })
}

resource "aws_cloudwatch_log_group" "migration_worker" {
  name              = "/aws/lambda/${var.name}-migration-worker"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

# the registry access of the function (ECR, the named secrets) and the migration queue's consuming side only
data "aws_iam_policy_document" "migration_worker" {
  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.migration_worker.arn}:*"]
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
    for_each = length(local.migration_worker_secret_arns) > 0 ? [1] : []
    content {
      sid       = "Secrets"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = local.migration_worker_secret_arns
    }
  }
  statement {
    sid       = "MigrationWork"
    actions   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]
    resources = [aws_sqs_queue.migration.arn]
  }
}

resource "aws_iam_role" "migration_worker" {
  name               = "${var.name}-migration-worker"
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = var.tags
}

resource "aws_iam_role_policy" "migration_worker" {
  name   = "${var.name}-migration-worker"
  role   = aws_iam_role.migration_worker.id
  policy = data.aws_iam_policy_document.migration_worker.json
}

resource "aws_lambda_function" "migration_worker" {
  function_name    = "${var.name}-migration-worker"
  role             = aws_iam_role.migration_worker.arn
  filename         = var.package_path
  source_code_hash = filebase64sha256(var.package_path)
  runtime          = local.runtime
  handler          = local.handler
  architectures    = [var.architecture]
  memory_size      = var.memory_size
  timeout          = var.timeout
  publish          = true
  ephemeral_storage {
    size = var.ephemeral_storage
  }
  environment {
    variables = local.migration_worker_environment
  }
  dynamic "snap_start" {
    for_each = local.native ? [] : [1]
    content {
      apply_on = "PublishedVersions"
    }
  }
  depends_on = [aws_cloudwatch_log_group.migration_worker, aws_iam_role_policy.migration_worker]
  tags       = var.tags
}

resource "aws_lambda_alias" "migration_worker" {
  name             = "live"
  function_name    = aws_lambda_function.migration_worker.function_name
  function_version = aws_lambda_function.migration_worker.version
}

# one image per message; a failed image is reported alone (batchItemFailures) and comes back until the redrive
# policy moves it to the dead-letter queue
resource "aws_lambda_event_source_mapping" "migration" {
  event_source_arn        = aws_sqs_queue.migration.arn
  function_name           = aws_lambda_alias.migration_worker.arn
  batch_size              = var.migration_batch_size
  function_response_types = ["ReportBatchItemFailures"]
  scaling_config {
    maximum_concurrency = var.migration_worker_concurrency
  }
}

resource "aws_cloudwatch_metric_alarm" "migration_dead_letters" {
  alarm_name          = "${var.name}-migration-dead-letters"
  alarm_description   = "Images a migration could not convert after ${var.migration_max_receive_count} attempts: their messages wait in ${aws_sqs_queue.migration_dead_letters.name}; the run's summary names each cause."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions = {
    QueueName = aws_sqs_queue.migration_dead_letters.name
  }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = var.tags
}
