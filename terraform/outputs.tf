output "function_url" {
  description = "Base URL for every registry's webhook (/v1/webhooks/{provider}) and, with expose_api, the REST API."
  value       = aws_lambda_function_url.recast.function_url
}

output "function_arn" {
  value = aws_lambda_function.recast.arn
}

output "alias_arn" {
  description = "Invoke this (SnapStart applies to published versions)."
  value       = aws_lambda_alias.live.arn
}

output "work_queue_url" {
  description = "Send conversion or index requests here to fan large work out."
  value       = aws_sqs_queue.work.url
}

output "dead_letter_queue_url" {
  value = aws_sqs_queue.dead_letters.url
}

output "migration_queue_url" {
  description = "The queue the planner fills with one message per image; its workers drain it."
  value       = aws_sqs_queue.migration.url
}

output "migration_dead_letter_queue_url" {
  description = "Migration messages whose image failed every attempt."
  value       = aws_sqs_queue.migration_dead_letters.url
}

output "migration_worker_function_arn" {
  value = aws_lambda_function.migration_worker.arn
}
