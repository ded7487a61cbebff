package dev.recast.sign;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recast.convert.ConversionReport;
import dev.recast.model.Content;
import dev.recast.model.Descriptor;
import dev.recast.model.Digest;
import dev.recast.model.ImageJson;
import dev.recast.model.ImageManifest;
import dev.recast.model.Manifest;
import dev.recast.model.MediaType;
import dev.recast.registry.reference.ImageReference;
import dev.recast.registry.reference.LayoutReference;
import dev.recast.registry.reference.RegistryReference;
import dev.recast.registry.referrers.ReferrerTags;
import dev.recast.registry.store.ImageStore;
import dev.recast.registry.store.StoreFactory;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Signs a converted image the way {@code cosign sign --key} does, so that key-based cosign verification (and the
 * admission controllers built on it) accept it. The format is cosign's "Cosign Signature Specifications"
 * (https://github.com/sigstore/cosign/blob/main/specs/SIGNATURE_SPEC.md): a simple-signing payload naming the
 * manifest digest, stored as a layer of media type {@value #PAYLOAD_TYPE} whose annotation {@value #SIGNATURE}
 * holds the base64 of the ASN.1 DER ECDSA-P256-SHA256 signature over the payload bytes, in an OCI image manifest
 * tagged {@code sha256-<hex>.sig} (tag-based discovery). Signatures already under that tag are kept: one manifest
 * holds every signature of an image, as the spec says.
 */
public final class CosignSigner {
    public static final String PAYLOAD_TYPE = "application/vnd.dev.cosign.simplesigning.v1+json";
    public static final String SIGNATURE = "dev.cosignproject.cosign/signature";
    /** The simple-signing {@code critical.type} that marks a cosign signature (the spec's "Simple Signing"). */
    static final String COSIGN_TYPE = "cosign container image signature";
    private final SigningKey key;

    public CosignSigner(SigningKey key) {
        this.key = key;
    }

    /** What signing wrote: the signature manifest and its tag. */
    public record Signed(Digest manifest, String tag) {
    }

    /** {@code report} with a note saying how its converted image was signed; a dry run wrote nothing to sign. */
    public ConversionReport signed(StoreFactory stores, ConversionReport report) {
        if (report.dryRun()) {
            return report.withNote("dry run: nothing signed");
        }
        ImageReference target = ImageReference.parse(report.target());
        try (ImageStore store = stores.open(target)) {
            Signed signed = sign(store, dockerReference(target), report.targetDigest());
            return report.withNote("signed " + report.targetDigest() + ": signature manifest " + signed.manifest()
                    + " tagged " + signed.tag());
        }
    }

    /** The repository as cosign's payload names it: {@code registry/repository}, neither tag nor digest. */
    static String dockerReference(ImageReference target) {
        return switch (target) {
            case RegistryReference registry -> registry.registry() + "/" + registry.repository();
            case LayoutReference layout -> layout.withTag(null).toString();
        };
    }

    /**
     * Signs {@code image} (a manifest or index of {@code store}).
     *
     * @param dockerReference the repository as cosign names it ({@code registry/repository}, no tag)
     */
    public Signed sign(ImageStore store, String dockerReference, Digest image) {
        Content payload = Content.of(MediaType.of(PAYLOAD_TYPE), payload(dockerReference, image));
        String signature = Base64.getEncoder().encodeToString(key.sign(payload.bytes()));
        Descriptor layer = payload.descriptor().withAnnotations(Map.of(SIGNATURE, signature));
        String tag = ReferrerTags.cosign(image, "sig");
        List<Descriptor> layers = new ArrayList<>(existingSignatures(store, tag));
        layers.removeIf(existing -> existing.digest().equals(layer.digest())
                && existing.annotations().equals(layer.annotations()));
        layers.add(layer);
        Content config = config(layers);
        put(store, payload);
        put(store, config);
        Manifest manifest = Manifest.create(MediaType.OCI_MANIFEST, null, config.descriptor(), layers, null, Map.of());
        store.tag(tag, manifest.content());
        return new Signed(manifest.content().digest(), tag);
    }

    /** The simple-signing payload (containers/image's containers-signature.5 "JSON data format"). */
    static byte[] payload(String dockerReference, Digest image) {
        ObjectNode json = ImageJson.object();
        ObjectNode critical = json.putObject("critical");
        critical.putObject("identity").put("docker-reference", dockerReference);
        critical.putObject("image").put("docker-manifest-digest", image.toString());
        critical.put("type", COSIGN_TYPE);
        json.putNull("optional");
        return ImageJson.write(json);
    }

    private static List<Descriptor> existingSignatures(ImageStore store, String tag) {
        Optional<Content> existing = store.findManifest(tag);
        if (existing.isEmpty() || !(ImageManifest.parse(existing.get()) instanceof Manifest manifest)) {
            return List.of();
        }
        return manifest.layers().stream().filter(l -> l.mediaType().value().equals(PAYLOAD_TYPE)).toList();
    }

    /** An image config whose rootfs lists the payloads, as cosign writes it; nothing reads it but image tools. */
    private static Content config(List<Descriptor> layers) {
        ObjectNode json = ImageJson.object();
        json.put("architecture", "");
        json.put("os", "");
        json.putObject("config");
        ObjectNode rootfs = json.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode diffIds = rootfs.putArray("diff_ids");
        layers.forEach(layer -> diffIds.add(layer.digest().toString()));
        return Content.of(MediaType.OCI_CONFIG, ImageJson.write(json));
    }

    private static void put(ImageStore store, Content blob) {
        if (!store.hasBlob(blob.digest())) {
            store.putBlob(blob.descriptor(), new ByteArrayInputStream(blob.bytes()));
        }
    }
}
