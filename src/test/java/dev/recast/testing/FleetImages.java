package dev.recast.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recast.model.Content;
import dev.recast.model.Descriptor;
import dev.recast.model.ImageManifest;
import dev.recast.model.Manifest;
import dev.recast.registry.ImageStores;
import dev.recast.registry.http.RegistrySettings;
import dev.recast.registry.reference.RegistryReference;
import dev.recast.registry.store.ImageStore;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Many small images in a lab registry, fast: fixtures tagged under other names with their blobs mounted. */
public final class FleetImages implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final LabRegistry lab;
    private final ImageStores stores;

    public FleetImages(LabRegistry lab) {
        this.lab = lab;
        this.stores = new ImageStores(RegistrySettings.defaults().withInsecureHosts(Set.of(lab.host())));
    }

    /** A fixture under another name: its blobs mounted, its manifest as it is (Docker v2s2, gzip). */
    public void push(String fixture, String repository, String tag) {
        RegistryReference from = RegistryReference.parse(lab.host() + "/" + fixture);
        try (ImageStore source = stores.open(from);
             ImageStore target = stores.open(new RegistryReference(lab.host(), repository, tag, null))) {
            Content manifest = source.requireManifest(from.tag());
            Manifest image = (Manifest) ImageManifest.parse(manifest);
            List<Descriptor> blobs = new ArrayList<>(image.layers());
            blobs.add(image.config());
            for (Descriptor blob : blobs) {
                assertTrue(target.mountBlob(blob, source), "mount " + blob.digest() + " into " + repository);
            }
            target.tag(tag, manifest);
        }
    }

    /** Each repository's tags, sorted, as the registry lists them (asked directly, not through Recast's listing). */
    public Map<String, List<String>> tags(Collection<String> repositories) throws IOException, InterruptedException {
        Map<String, List<String>> now = new TreeMap<>();
        for (String repository : repositories) {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + lab.host() + "/v2/"
                    + repository + "/tags/list?n=1000")).build(), HttpResponse.BodyHandlers.ofString());
            List<String> tags = new ArrayList<>();
            JSON.readTree(response.body()).path("tags").forEach(t -> tags.add(t.asText()));
            now.put(repository, tags.stream().sorted().toList());
        }
        return now;
    }

    @Override
    public void close() {
        stores.close();
    }
}
