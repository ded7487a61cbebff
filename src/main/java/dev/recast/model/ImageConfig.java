package dev.recast.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recast.RecastException;

import java.util.ArrayList;
import java.util.List;

/**
 * An image config. Only the fields Recast needs are parsed; the bytes are kept and never re-serialised, so the
 * config digest (the image ID) and every unknown field survive conversion.
 */
public record ImageConfig(Platform platform, List<Digest> diffIds, Content content) {

    public ImageConfig {
        diffIds = List.copyOf(diffIds);
    }

    public static ImageConfig parse(Content content) {
        String what = "image config " + content.digest();
        ObjectNode json = ImageJson.readObject(content.bytes(), what);
        Platform platform = new Platform(ImageJson.requiredText(json, "os", what),
                ImageJson.requiredText(json, "architecture", what), ImageJson.text(json, "variant", what),
                ImageJson.text(json, "os.version", what), ImageJson.strings(json, "os.features", what), List.of());
        JsonNode rootfs = json.get("rootfs");
        if (rootfs == null || !rootfs.isObject()) {
            throw ImageJson.invalid(what + ": 'rootfs' is missing");
        }
        List<Digest> diffIds = new ArrayList<>();
        for (String text : ImageJson.strings(rootfs, "diff_ids", what + " rootfs")) {
            try {
                diffIds.add(Digest.parse(text));
            } catch (RecastException e) {
                throw ImageJson.invalid(what + ": bad diff_id: " + e.getMessage());
            }
        }
        return new ImageConfig(platform, diffIds, content);
    }

    public Digest digest() {
        return content.digest();
    }
}
