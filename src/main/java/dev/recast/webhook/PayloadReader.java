package dev.recast.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recast.ErrorKind;
import dev.recast.RecastException;

import java.io.IOException;
import java.util.List;

/** Reads a webhook delivery's body into push events with its provider's parser; anything malformed is a bad request. */
public final class PayloadReader {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final boolean artifactoryRepositoryPath;

    /** @param artifactoryRepositoryPath whether Artifactory's repository key is the first path segment of the image */
    public PayloadReader(boolean artifactoryRepositoryPath) {
        this.artifactoryRepositoryPath = artifactoryRepositoryPath;
    }

    public List<PushEvent> read(Provider provider, byte[] body) {
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (IOException e) {
            throw new RecastException(ErrorKind.BAD_REQUEST, "the webhook body is not JSON");
        }
        if (json == null || !json.isObject()) {
            throw new RecastException(ErrorKind.BAD_REQUEST, "the webhook body is not a JSON object");
        }
        return parser(provider).parse(json);
    }

    private WebhookParser parser(Provider provider) {
        return switch (provider) {
            case DISTRIBUTION -> new DistributionParser();
            case HARBOR -> new HarborParser();
            case DOCKERHUB -> new DockerHubParser();
            case ECR -> new EcrParser();
            case QUAY -> new QuayParser();
            case GITHUB -> new GithubParser();
            case ACR -> new AcrParser();
            case ARTIFACTORY -> new ArtifactoryParser(artifactoryRepositoryPath);
            case GAR -> new GarParser();
        };
    }
}
