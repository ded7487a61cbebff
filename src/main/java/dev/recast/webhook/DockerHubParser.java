package dev.recast.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recast.registry.reference.RegistryReference;

import java.util.List;

/** Docker Hub: every delivery is a push; it names repository and tag but no digest. */
public final class DockerHubParser implements WebhookParser {

    @Override
    public List<PushEvent> parse(JsonNode body) {
        String repository = WebhookParser.text(body.path("repository"), "repo_name");
        String tag = WebhookParser.text(body.path("push_data"), "tag");
        if (repository == null || tag == null) {
            throw WebhookParser.malformed("Docker Hub", "no repository.repo_name or push_data.tag");
        }
        if (!repository.contains("/")) {
            repository = "library/" + repository;
        }
        return List.of(new PushEvent(RegistryReference.DOCKER_HUB, repository, tag, null, null,
                WebhookParser.text(body.path("push_data"), "pusher")));
    }
}
