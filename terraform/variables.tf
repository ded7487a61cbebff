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
  description = "The zip Quarkus builds: target/function.zip (JVM: ./mvnw package; native: with -Dquarkus.native.enabled=true)."
  type        = string
  default     = "../target/function.zip"
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
  description = "Registry hosts the function may contact (host or host:port). Empty allows any."
  type        = list(string)
  default     = []
}

variable "rules" {
  description = "Webhook rules as JSON (see the README). Empty: convert every tag to {tag}-oci."
  type        = string
  default     = ""
}

variable "credentials_secret_arn" {
  description = "A Secrets Manager secret holding {\"host\": \"user:password\"} for non-ECR registries, or empty."
  type        = string
  default     = ""
}

variable "environment" {
  description = "More RECAST_* settings (webhook secrets, API token, aliases); see the README's configuration table."
  type        = map(string)
  default     = {}
  sensitive   = true
}

variable "ecr_repositories" {
  description = "ECR repositories (names) to watch for pushes and to read and write."
  type        = list(string)
  default     = []
}

variable "function_url_auth" {
  description = "NONE (webhooks check their own secrets, the API its token) or AWS_IAM."
  type        = string
  default     = "NONE"
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
