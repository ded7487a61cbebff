variable "name" {
  description = "Function name; also names the role, queues and log group."
  type        = string
  default     = "recast"
}

variable "package_type" {
  description = "native (provided.al2023, built with GraalVM) or jvm (java21 with SnapStart)."
  type        = string
  default     = "jvm"
  validation {
    condition     = contains(["native", "jvm"], var.package_type)
    error_message = "package_type is native or jvm."
  }
}

variable "package_path" {
  description = "The zip the Lambda build writes: target/lambda/function.zip (JVM: ./mvnw -Plambda package; native: with -Dquarkus.native.enabled=true)."
  type        = string
  default     = "../target/lambda/function.zip"
}

variable "architecture" {
  description = "x86_64 or arm64; a native zip must be built for it."
  type        = string
  default     = "x86_64"
}

variable "memory_size" {
  description = "MB; CPU grows with memory (about one vCPU per 1769 MB), and recompression is CPU work."
  type        = number
  default     = 3008
}

variable "timeout" {
  description = "Seconds (at most 900). Conversions that cannot finish in the time left are refused before writing."
  type        = number
  default     = 900
}

variable "ephemeral_storage" {
  description = "MB of /tmp (Recast streams layers and needs little)."
  type        = number
  default     = 512
}

variable "allowed_registries" {
  description = "Registry hosts the function may contact (host or host:port). Required: a credentialed function must not reach any host."
  type        = list(string)
  validation {
    condition     = length(var.allowed_registries) > 0 && !contains(var.allowed_registries, "")
    error_message = "allowed_registries must name at least one registry host (host or host:port), and no empty entry."
  }
}

variable "rules" {
  description = "Webhook rules as JSON (see the README). Empty: convert every tag to {tag}-oci."
  type        = string
  default     = ""
}

variable "credentials_secret_arn" {
  description = "ARN of a Secrets Manager secret holding {\"host\": \"user:password\"} for non-ECR registries, or empty."
  type        = string
  default     = ""
  validation {
    condition     = var.credentials_secret_arn == "" || startswith(var.credentials_secret_arn, "arn:")
    error_message = "credentials_secret_arn is the ARN of a Secrets Manager secret (arn:aws:secretsmanager:...), or empty: the module takes no secret value."
  }
}

variable "api_token_secret_arn" {
  description = "ARN of a Secrets Manager secret whose string is the API token (recast.api.token), read at start. Required when function_url_auth is NONE; empty with AWS_IAM runs the API anonymous behind IAM."
  type        = string
  default     = ""
  validation {
    condition     = var.api_token_secret_arn == "" || startswith(var.api_token_secret_arn, "arn:")
    error_message = "api_token_secret_arn is the ARN of a Secrets Manager secret (arn:aws:secretsmanager:...), or empty: the module takes no secret value."
  }
}

variable "settings_secret_arn" {
  description = "ARN of a Secrets Manager secret holding a JSON object of secret settings, read at start, e.g. {\"recast.webhooks.github.secret\": \"...\"}; or empty."
  type        = string
  default     = ""
  validation {
    condition     = var.settings_secret_arn == "" || startswith(var.settings_secret_arn, "arn:")
    error_message = "settings_secret_arn is the ARN of a Secrets Manager secret (arn:aws:secretsmanager:...), or empty: the module takes no secret value."
  }
}

variable "environment" {
  description = "More RECAST_* settings that are not secret (aliases, limits); secrets go in settings_secret_arn."
  type        = map(string)
  default     = {}
  validation {
    condition     = !anytrue([for key in keys(var.environment) : can(regex("(?i)(secret|token|password|credential)", key))])
    error_message = "environment holds no secret: put tokens, webhook secrets and passwords in the secret settings_secret_arn names."
  }
  validation {
    # upper case only: the configuration also reads lower-case variants, which would slip past the module's own keys;
    # the pattern matches any key that is not RECAST_ followed by A-Z, 0-9 and _ (RE2 has no look-ahead)
    condition     = !anytrue([for key in keys(var.environment) : can(regex("[^A-Z0-9_]|^.{0,7}$|^(?:[^R]|R[^E]|RE[^C]|REC[^A]|RECA[^S]|RECAS[^T]|RECAST[^_])", key))])
    error_message = "environment keys are RECAST_* settings in upper case (A-Z, 0-9, _)."
  }
  validation {
    condition     = !anytrue([for key in keys(var.environment) : can(regex("^RECAST_(API|LAMBDA)_", key))])
    error_message = "environment may not set RECAST_API_* or RECAST_LAMBDA_*: the module sets the API's access and the function's wiring."
  }
}

variable "expose_api" {
  description = "Serve the REST API (/v1/conversions, /v1/indexes, /v1/images) on the function URL; off, it serves only /v1/webhooks/*."
  type        = bool
  default     = false
}

variable "reserved_concurrency" {
  description = "Invocations at once (each may use memory_size and the registries' bandwidth); bounds the cost a flood of requests can cause."
  type        = number
  default     = 10
  validation {
    condition     = var.reserved_concurrency >= 1
    error_message = "reserved_concurrency is at least 1."
  }
}

variable "ecr_repositories" {
  description = "ECR repositories (names) to watch for pushes and to read and write."
  type        = list(string)
  default     = []
}

variable "function_url_auth" {
  description = "NONE (webhooks check their own secrets, the API the token from api_token_secret_arn) or AWS_IAM (callers sign with SigV4)."
  type        = string
  default     = "NONE"
  validation {
    condition     = contains(["NONE", "AWS_IAM"], var.function_url_auth)
    error_message = "function_url_auth is NONE or AWS_IAM."
  }
  # Cross-variable validation needs Terraform 1.9 (versions.tf)
  validation {
    condition     = var.function_url_auth == "AWS_IAM" || var.api_token_secret_arn != ""
    error_message = "A function URL without IAM auth (NONE) needs the API token: set api_token_secret_arn, or function_url_auth = \"AWS_IAM\"."
  }
}

variable "log_retention_days" {
  description = "CloudWatch log retention."
  type        = number
  default     = 30
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}

variable "migration_worker_concurrency" {
  description = "Migration workers at once (the event source mapping's maximum concurrency): images converted in parallel, and the load a migration puts on the registries."
  type        = number
  default     = 10
  validation {
    condition     = var.migration_worker_concurrency >= 2 && var.migration_worker_concurrency <= 1000
    error_message = "migration_worker_concurrency is between 2 and 1000 (what an SQS event source mapping accepts)."
  }
}

variable "migration_batch_size" {
  description = "Migration messages per worker invocation; 1 gives each image the whole timeout."
  type        = number
  default     = 1
  validation {
    condition     = var.migration_batch_size >= 1 && var.migration_batch_size <= 10
    error_message = "migration_batch_size is between 1 and 10."
  }
}

variable "migration_max_receive_count" {
  description = "Deliveries of a migration message before SQS moves it to the migration dead-letter queue."
  type        = number
  default     = 3
  validation {
    condition     = var.migration_max_receive_count >= 1
    error_message = "migration_max_receive_count is at least 1."
  }
}

variable "alarm_actions" {
  description = "ARNs (e.g. SNS topics) told when the migration dead-letter queue holds a message, and when it is empty again."
  type        = list(string)
  default     = []
}
