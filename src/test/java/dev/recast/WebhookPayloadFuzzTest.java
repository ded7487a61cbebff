package dev.recast;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.recast.webhook.PayloadReader;
import dev.recast.webhook.Provider;

/**
 * Fuzzes webhook bodies, which come from untrusted senders, through every provider's parser (the same path as
 * {@code POST /v1/webhooks/{provider}}). Anything refused must be a {@link RecastException}. Plain runs replay
 * {@code WebhookPayloadFuzzTestInputs/}; see .ci/run.
 */
class WebhookPayloadFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void everyProvidersPayloads(FuzzedDataProvider data) {
        Provider provider = data.pickValue(Provider.values());
        boolean repositoryPath = data.consumeBoolean();
        try {
            new PayloadReader(repositoryPath).read(provider, data.consumeRemainingAsBytes());
        } catch (RecastException expected) {
            // refused with our typed error
        }
    }
}
