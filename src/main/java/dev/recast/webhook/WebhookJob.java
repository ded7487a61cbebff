package dev.recast.webhook;

import dev.recast.registry.reference.RegistryReference;

/**
 * One unit of work a push planned: convert the pushed image, or (re)build an index of per-arch tags.
 *
 * @param key      jobs with the same key are the same work: one runs, the others are duplicates
 * @param describe what it does, for the 202 answer and the logs
 * @param event    the push, pinned to its digest
 * @param target   where the job writes, fixed when it was planned
 */
public record WebhookJob(String key, String describe, PushEvent event, WebhookRule rule, Kind kind, RegistryReference target) {
    public enum Kind { CONVERT, INDEX }
}
