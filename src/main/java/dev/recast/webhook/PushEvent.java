package dev.recast.webhook;

import dev.recast.model.Digest;

/**
 * What every provider's push notification comes down to.
 *
 * @param tag       the pushed tag, or null (a push by digest)
 * @param digest    the manifest digest, or null when the provider does not say (resolved from the tag later)
 * @param mediaType the manifest's media type, or null
 * @param actor     who pushed, when the provider says
 */
public record PushEvent(String registry, String repository, String tag, Digest digest, String mediaType, String actor) {

    public String describe() {
        return registry + "/" + repository + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }
}
