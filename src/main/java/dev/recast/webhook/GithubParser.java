package dev.recast.webhook;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Locale;

/** GitHub's {@code package} (and older {@code registry_package}) event for container packages on ghcr.io. */
public final class GithubParser implements WebhookParser {

    @Override
    public List<PushEvent> parse(JsonNode body) {
        JsonNode pkg = body.has("package") ? body.path("package") : body.path("registry_package");
        if (pkg.isMissingNode()) {
            return List.of(); // ping and other events
        }
        String type = WebhookParser.text(pkg, "package_type");
        String action = WebhookParser.text(body, "action");
        if (type == null || !type.toLowerCase(Locale.ROOT).equals("container") || !"published".equals(action)) {
            return List.of();
        }
        JsonNode version = pkg.path("package_version");
        JsonNode tag = version.path("container_metadata").path("tag");
        String packageUrl = WebhookParser.text(version, "package_url");
        String namespace = WebhookParser.text(pkg, "namespace");
        String name = WebhookParser.text(pkg, "name");
        if (namespace == null) {
            namespace = WebhookParser.text(pkg.path("owner"), "login");
        }
        if (name == null || namespace == null) {
            throw WebhookParser.malformed("GitHub", "package without name or namespace");
        }
        String host = packageUrl != null ? WebhookParser.host(packageUrl) : "ghcr.io";
        String tagName = WebhookParser.text(tag, "name");
        return List.of(new PushEvent(host, (namespace + "/" + name).toLowerCase(Locale.ROOT),
                tagName, WebhookParser.digest(WebhookParser.text(tag, "digest")), null,
                WebhookParser.text(body.path("sender"), "login")));
    }
}
