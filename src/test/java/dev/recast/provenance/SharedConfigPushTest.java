package dev.recast.provenance;

import dev.recast.model.Content;
import dev.recast.convert.ConversionOptions;
import dev.recast.convert.ConversionReport;
import dev.recast.registry.referrers.ReferrerAttacher;
import dev.recast.testing.FaultProxy;
import dev.recast.testing.ProxiedConverter;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The provenance artifacts of one conversion, attached side by side, share one config: it is pushed once before
 * them, so that they do not each push it at the same moment (which makes distribution refuse one of their manifests,
 * distribution#2077). The proxy answers the config's HEAD slowly, so that every artifact that asked at once would
 * find it absent and push it.
 */
@Tag("registry")
class SharedConfigPushTest {
    @AutoClose
    private final ProxiedConverter proxied = new ProxiedConverter();

    @Test
    void theConfigTheArtifactsShareIsPushedOnce() {
        String repository = "provenance/shared-" + UUID.randomUUID().toString().substring(0, 8);
        String config = Content.OCI_EMPTY.digest().toString();
        proxied.proxy.always("HEAD", "/v2/" + repository + "/blobs/" + config, new FaultProxy.Fault.Stall(300));
        ConversionReport report = proxied.converter.convert(proxied.ref("fixtures/multi:latest"),
                proxied.ref(repository + ":oci"), ConversionOptions.DEFAULT);
        int from = proxied.proxy.requests().size();

        List<ProvenanceRecorder.Recorded> recorded = new ProvenanceRecorder(proxied.stores::open, new ReferrerAttacher())
                .record(report, ConversionOptions.DEFAULT);

        assertEquals(3, recorded.size(), "one for each of the two images and one for the index: " + recorded);
        List<String> requests = proxied.proxy.requests().subList(from, proxied.proxy.requests().size());
        assertEquals(1, requests.stream().filter(r -> r.startsWith("PUT /v2/" + repository + "/blobs/uploads/")
                && r.contains(Content.OCI_EMPTY.digest().hex())).count(), requests.toString());
    }
}
