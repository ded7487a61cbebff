package dev.recast.webhook;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * JFrog Artifactory's docker {@code pushed} event. Where the image is depends on how Docker reaches Artifactory:
 * with the repository-path method the Docker repository key is the first path segment of the image.
 */
public final class ArtifactoryParser implements WebhookParser {
    private final boolean repositoryPath;

    public ArtifactoryParser(boolean repositoryPath) {
        this.repositoryPath = repositoryPath;
    }

    @Override
    public List<PushEvent> parse(JsonNode body) {
        String domain = WebhookParser.text(body, "domain");
        if (domain == null) {
            throw WebhookParser.malformed("Artifactory", "no 'domain'");
        }
        if (!domain.equals("docker") || !"pushed".equals(WebhookParser.text(body, "event_type"))) {
            return List.of();
        }
        JsonNode data = body.path("data");
        String origin = WebhookParser.host(WebhookParser.text(body, "jpd_origin"));
        String image = WebhookParser.text(data, "image_name");
        String repoKey = WebhookParser.text(data, "repo_key");
        if (origin == null || image == null || (repositoryPath && repoKey == null)) {
            throw WebhookParser.malformed("Artifactory", "no jpd_origin, data.image_name or data.repo_key");
        }
        return List.of(new PushEvent(origin, repositoryPath ? repoKey + "/" + image : image, WebhookParser.text(data, "tag"),
                WebhookParser.digest(WebhookParser.text(data, "sha256")), null, WebhookParser.text(body, "source")));
    }
}
