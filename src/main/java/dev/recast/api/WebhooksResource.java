package dev.recast.api;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.service.RecastConfig;
import dev.recast.webhook.PayloadReader;
import dev.recast.webhook.Provider;
import dev.recast.webhook.PushEvent;
import dev.recast.webhook.WebhookProcessor;
import dev.recast.webhook.WebhookVerifier;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.util.List;
import java.util.Optional;

/** {@code POST /v1/webhooks/{provider}}: verify, parse, plan, answer 202 at once; the work runs in the background. */
@Path("/v1/webhooks/{provider}")
public class WebhooksResource {
    private final WebhookProcessor processor;
    private final RecastConfig.Webhooks config;

    public WebhooksResource(WebhookProcessor processor, RecastConfig config) {
        this.processor = processor;
        this.config = config.webhooks();
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Receive a registry's push notification (distribution, harbor, dockerhub, ecr, quay, github, acr, artifactory, gar)",
            description = "The body is the provider's own payload (its unknown fields are accepted). Authenticated by "
                    + "the provider's webhook secret, not by the API token.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = SchemaType.OBJECT, description = "The provider's push payload")))
    @APIResponse(responseCode = "202", description = "The jobs planned for the delivery; they run in the background",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WebhookProcessor.Receipt.class)))
    @APIResponse(responseCode = "200", description = "With recast.webhooks.synchronous: each job run and its outcome",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WebhookProcessor.Receipt.class)))
    public Response receive(@Parameter(schema = @Schema(enumeration = {"distribution", "harbor", "dockerhub", "ecr", "quay",
                                    "github", "acr", "artifactory", "gar"})) @PathParam("provider") String name,
                            @Parameter(description = "The secret, for providers that cannot send it otherwise")
                            @QueryParam("token") String token,
                            @Context HttpHeaders headers, byte[] body) {
        Provider provider = Provider.fromPath(name).orElseThrow(() -> new RecastException(ErrorKind.NOT_FOUND,
                "no webhook provider '" + name + "'"));
        if (body == null || body.length == 0) {
            throw new RecastException(ErrorKind.BAD_REQUEST, "the webhook body is empty");
        }
        if (body.length > config.maxBodyBytes()) {
            throw new RecastException(ErrorKind.TOO_LARGE, "the webhook body is " + body.length + " bytes, over "
                    + config.maxBodyBytes());
        }
        if (!WebhookVerifier.verify(provider, secret(provider).orElse(null), body, headers::getHeaderString, token)) {
            return Response.status(401).type(Problem.MEDIA_TYPE).entity(new Problem("urn:recast:problem:unauthorized",
                    "Unauthorized", 401, "the delivery does not carry this endpoint's " + provider.pathName()
                    + " webhook secret", null, null)).build();
        }
        List<PushEvent> events = new PayloadReader(config.artifactoryRepositoryPath()).read(provider, body);
        if (config.synchronous()) {
            return Response.ok(processor.runNow(provider, events)).build();
        }
        return Response.accepted(processor.accept(provider, events)).build();
    }

    private Optional<String> secret(Provider provider) {
        RecastConfig.Secret secret = switch (provider) {
            case DISTRIBUTION -> config.distribution();
            case HARBOR -> config.harbor();
            case DOCKERHUB -> config.dockerhub();
            case ECR -> config.ecr();
            case QUAY -> config.quay();
            case GITHUB -> config.github();
            case ACR -> config.acr();
            case ARTIFACTORY -> config.artifactory();
            case GAR -> config.gar();
        };
        return secret.secret().filter(s -> !s.isBlank());
    }
}
