package dev.recast.lambda;

import dev.recast.registry.http.CredentialSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import java.net.URI;
import java.util.Optional;

/** Adds the Lambda's credential sources (ECR tokens, a Secrets Manager secret) to the engine's. */
@ApplicationScoped
public class AwsCredentialSources {

    @Produces
    @ApplicationScoped
    CredentialSource aws(LambdaConfig config) {
        Optional<URI> endpoint = config.awsEndpointOverride().map(URI::create);
        CredentialSource ecr = config.ecrAuth() ? new EcrCredentials(endpoint) : CredentialSource.none();
        return config.credentialsSecretArn()
                .<CredentialSource>map(arn -> new SecretsManagerCredentials(arn, endpoint, config.region()).orElse(ecr))
                .orElse(ecr);
    }
}
