package dev.recast.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.convert.ConversionOptions;
import dev.recast.model.Digest;
import dev.recast.model.ImageJson;
import dev.recast.model.MediaType;
import dev.recast.provenance.ConversionProvenance.LayerLink;
import dev.recast.provenance.ConversionProvenance.ManifestLink;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link ConversionProvenance} as an in-toto Statement v1 (https://github.com/in-toto/attestation, spec/v1) whose
 * predicate is SLSA Provenance v1 (https://slsa.dev/spec/v1.0/provenance). The per-layer map goes in
 * {@code runDetails.byproducts}, one ResourceDescriptor per converted layer blob (its digest and media type, and as
 * annotations the source blob, the diff_id and what was done): the map is an output of the run, not a parameter of
 * it, and byproducts are SLSA's place for artifacts a build makes besides its subject; internalParameters is for the
 * builder's own inputs. No timestamps: the same conversion always gives the same statement, so recording it again
 * attaches nothing new.
 */
public final class ProvenanceStatement {
    public static final String STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
    public static final String PREDICATE_TYPE = "https://slsa.dev/provenance/v1";
    public static final String BUILD_TYPE = RecastVersion.BUILDER_ID + "/conversion/v1";
    private static final String CONFIG = "config";
    private static final String LAYER = "layer/";
    private static final String MANIFEST = "manifest/";
    private static final String SOURCE_DIGEST = "sourceDigest";

    private ProvenanceStatement() {
    }

    /** The statement's bytes; {@code options} are written out in full, and read back as their label. */
    public static byte[] write(ConversionProvenance provenance, ConversionOptions options) {
        ObjectNode statement = ImageJson.object();
        statement.put("_type", STATEMENT_TYPE);
        ObjectNode subject = statement.putArray("subject").addObject();
        subject.put("name", provenance.target());
        digestOf(subject, provenance.subject());
        subject.put("mediaType", provenance.subjectMediaType().value());
        statement.put("predicateType", PREDICATE_TYPE);
        ObjectNode predicate = statement.putObject("predicate");

        ObjectNode build = predicate.putObject("buildDefinition");
        build.put("buildType", BUILD_TYPE);
        ObjectNode external = build.putObject("externalParameters");
        ObjectNode source = external.putObject("source");
        source.put("reference", provenance.source());
        source.put("digest", provenance.sourceDigest().toString());
        external.putObject("target").put("reference", provenance.target());
        ObjectNode written = external.putObject("options");
        written.put("compression", options.compression().name().toLowerCase(java.util.Locale.ROOT));
        written.put("level", options.effectiveLevel());
        ArrayNode platforms = written.putArray("platforms");
        options.platforms().forEach(p -> platforms.add(p.normalized().toString()));
        written.put("label", provenance.options());
        ObjectNode dependency = build.putArray("resolvedDependencies").addObject();
        dependency.put("name", provenance.source());
        digestOf(dependency, provenance.sourceManifest());
        dependency.put("mediaType", provenance.sourceMediaType().value());

        ObjectNode run = predicate.putObject("runDetails");
        ObjectNode builder = run.putObject("builder");
        builder.put("id", RecastVersion.BUILDER_ID);
        builder.putObject("version").put("recast", provenance.recastVersion());
        ArrayNode byproducts = run.putArray("byproducts");
        if (provenance.config() != null) {
            digestOf(byproducts.addObject().put("name", CONFIG), provenance.config());
        }
        for (LayerLink layer : provenance.layers()) {
            ObjectNode node = byproducts.addObject().put("name", LAYER + layer.index());
            digestOf(node, layer.converted());
            node.put("mediaType", layer.convertedMediaType().value());
            ObjectNode notes = node.putObject("annotations");
            notes.put("size", layer.convertedSize());
            notes.put("diffID", layer.diffId().toString());
            notes.put(SOURCE_DIGEST, layer.source().toString());
            notes.put("sourceMediaType", layer.sourceMediaType().value());
            notes.put("action", layer.action());
        }
        for (ManifestLink child : provenance.manifests()) {
            ObjectNode node = byproducts.addObject().put("name", MANIFEST + child.platform());
            digestOf(node, child.converted());
            node.putObject("annotations").put(SOURCE_DIGEST, child.source().toString());
        }
        return ImageJson.write(statement);
    }

    /** Reads a statement back; anything but a Recast conversion provenance is refused, naming {@code what}. */
    public static ConversionProvenance read(byte[] bytes, String what) {
        ObjectNode statement = ImageJson.readObject(bytes, what);
        expect(statement, "_type", STATEMENT_TYPE, what);
        expect(statement, "predicateType", PREDICATE_TYPE, what);
        JsonNode predicate = statement.path("predicate");
        JsonNode build = predicate.path("buildDefinition");
        expect(build, "buildType", BUILD_TYPE, what);
        JsonNode subject = statement.path("subject").path(0);
        JsonNode external = build.path("externalParameters");
        JsonNode dependency = build.path("resolvedDependencies").path(0);
        JsonNode run = predicate.path("runDetails");
        Digest config = null;
        List<LayerLink> layers = new ArrayList<>();
        List<ManifestLink> manifests = new ArrayList<>();
        for (JsonNode node : run.path("byproducts")) {
            String name = text(node, "name", what);
            JsonNode notes = node.path("annotations");
            if (name.equals(CONFIG)) {
                config = digestIn(node, what);
            } else if (name.startsWith(LAYER)) {
                layers.add(new LayerLink(layers.size(), Digest.parse(text(notes, SOURCE_DIGEST, what)),
                        MediaType.of(text(notes, "sourceMediaType", what)), digestIn(node, what),
                        MediaType.of(text(node, "mediaType", what)), notes.path("size").asLong(-1),
                        Digest.parse(text(notes, "diffID", what)), text(notes, "action", what)));
            } else if (name.startsWith(MANIFEST)) {
                manifests.add(new ManifestLink(name.substring(MANIFEST.length()),
                        Digest.parse(text(notes, SOURCE_DIGEST, what)), digestIn(node, what)));
            }
        }
        return new ConversionProvenance(text(subject, "name", what), digestIn(subject, what),
                MediaType.of(text(subject, "mediaType", what)), text(external.path("source"), "reference", what),
                Digest.parse(text(external.path("source"), "digest", what)), digestIn(dependency, what),
                MediaType.of(text(dependency, "mediaType", what)), text(external.path("options"), "label", what),
                text(run.path("builder").path("version"), "recast", what), config, layers, manifests);
    }

    /** A ResourceDescriptor's {@code digest}: a map from algorithm to hex, as in-toto spells it. */
    private static void digestOf(ObjectNode node, Digest digest) {
        node.putObject("digest").put(digest.algorithm(), digest.hex());
    }

    private static Digest digestIn(JsonNode node, String what) {
        JsonNode digest = node.path("digest");
        if (!digest.isObject() || digest.size() != 1) {
            throw invalid(what + ": a resource descriptor needs exactly one digest");
        }
        var entry = digest.properties().iterator().next();
        return new Digest(entry.getKey(), entry.getValue().asText());
    }

    private static void expect(JsonNode node, String field, String value, String what) {
        if (!value.equals(node.path(field).asText(null))) {
            throw new RecastException(ErrorKind.UNSUPPORTED, what + ": " + field + " is not " + value
                    + ": not a Recast conversion provenance");
        }
    }

    private static String text(JsonNode node, String field, String what) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw invalid(what + ": '" + field + "' is missing or not a string");
        }
        return value.textValue();
    }

    private static RecastException invalid(String message) {
        return new RecastException(ErrorKind.INVALID_IMAGE, message);
    }
}
