package dev.recast.webhook;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/** Amazon ECR's EventBridge "ECR Image Action" event: successful pushes only. */
public final class EcrParser implements WebhookParser {

    @Override
    public List<PushEvent> parse(JsonNode body) {
        String detailType = WebhookParser.text(body, "detail-type");
        if (detailType == null) {
            throw WebhookParser.malformed("ECR EventBridge", "no 'detail-type'");
        }
        JsonNode detail = body.path("detail");
        if (!detailType.equals("ECR Image Action") || !"PUSH".equals(WebhookParser.text(detail, "action-type"))
                || !"SUCCESS".equals(WebhookParser.text(detail, "result"))) {
            return List.of();
        }
        String account = WebhookParser.text(body, "account");
        String region = WebhookParser.text(body, "region");
        String repository = WebhookParser.text(detail, "repository-name");
        if (account == null || region == null || repository == null || !account.matches("[0-9]{12}")
                || !region.matches("[a-z0-9-]{1,32}")) {
            throw WebhookParser.malformed("ECR EventBridge", "account, region or repository-name missing or malformed");
        }
        return List.of(new PushEvent(account + ".dkr.ecr." + region + ".amazonaws.com", repository,
                WebhookParser.text(detail, "image-tag"), WebhookParser.digest(WebhookParser.text(detail, "image-digest")),
                WebhookParser.text(detail, "manifest-media-type"), null));
    }
}
