package dev.recast.testing;

import dev.recast.model.Content;
import dev.recast.model.Descriptor;
import dev.recast.model.Manifest;
import dev.recast.model.MediaType;
import dev.recast.registry.referrers.ReferrerArtifact;
import dev.recast.registry.referrers.ReferrerTags;
import dev.recast.registry.store.ImageStore;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Things people attach to images, written the way SBOM tools and cosign write them, for tests. */
public final class ReferrerFixtures {
    public static final String SPDX = "application/spdx+json";
    public static final MediaType SIMPLE_SIGNING = MediaType.of("application/vnd.dev.cosign.simplesigning.v1+json");
    public static final MediaType DSSE = MediaType.of("application/vnd.dsse.envelope.v1+json");

    private ReferrerFixtures() {
    }

    /** An SPDX SBOM artifact whose subject is {@code subject}; {@code name} makes it unique. */
    public static ReferrerArtifact sbom(Descriptor subject, String name) {
        byte[] document = ("{\"spdxVersion\":\"SPDX-2.3\",\"name\":\"" + name + "\"}").getBytes(StandardCharsets.UTF_8);
        return new ReferrerArtifact(subject, SPDX, List.of(new ReferrerArtifact.Payload(MediaType.of(SPDX), document,
                Map.of())), Map.of("org.opencontainers.image.created", "2026-01-01T00:00:00Z"));
    }

    /** A cosign-style signature under tag {@code sha256-<hex>.sig}: a simple-signing payload with its signature. */
    public static Content cosignSignature(ImageStore store, Descriptor subject) {
        String payload = "{\"critical\":{\"identity\":{\"docker-reference\":\"lab/app\"},\"image\":{\"docker-manifest-digest\":\""
                + subject.digest() + "\"},\"type\":\"cosign container image signature\"},\"optional\":null}";
        return cosignTag(store, subject, "sig", SIMPLE_SIGNING, payload,
                Map.of("dev.cosignproject.cosign/signature", "MEUCIQDfakefakefake"));
    }

    /** A cosign-style attestation under tag {@code sha256-<hex>.att}: a DSSE envelope of an in-toto statement. */
    public static Content cosignAttestation(ImageStore store, Descriptor subject) {
        String envelope = "{\"payloadType\":\"application/vnd.in-toto+json\",\"payload\":\"e30=\",\"signatures\":[]}";
        return cosignTag(store, subject, "att", DSSE, envelope,
                Map.of("predicateType", "https://slsa.dev/provenance/v0.2"));
    }

    /**
     * A manifest under a cosign tag as cosign 1.x writes it: a Docker v2s2 manifest with an image config (an
     * artifact that looks like an image to anything that does not read its layer types).
     */
    private static Content cosignTag(ImageStore store, Descriptor subject, String suffix, MediaType layerType,
                                     String layer, Map<String, String> layerAnnotations) {
        Content config = Content.of(MediaType.DOCKER_CONFIG,
                "{\"architecture\":\"\",\"os\":\"\",\"config\":{},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"
                        .getBytes(StandardCharsets.UTF_8));
        Content payload = Content.of(layerType, layer.getBytes(StandardCharsets.UTF_8));
        store.putIfAbsent(config);
        store.putIfAbsent(payload);
        Content manifest = Manifest.create(MediaType.DOCKER_MANIFEST, null, config.descriptor(),
                List.of(payload.descriptor().withAnnotations(layerAnnotations)), null, null).content();
        store.tag(ReferrerTags.cosign(subject.digest(), suffix), manifest);
        return manifest;
    }

    /** A small image-like manifest to attach things to; {@code name} makes it unique. */
    public static Content subject(ImageStore store, String name) {
        Content layer = Content.of(MediaType.OCI_LAYER, name.getBytes(StandardCharsets.UTF_8));
        store.putIfAbsent(layer);
        store.putIfAbsent(Content.OCI_EMPTY);
        Content manifest = Manifest.create(MediaType.OCI_MANIFEST, "application/vnd.example.subject",
                Content.OCI_EMPTY.descriptor(), List.of(layer.descriptor()), null, null).content();
        store.tag(name, manifest);
        return manifest;
    }
}
