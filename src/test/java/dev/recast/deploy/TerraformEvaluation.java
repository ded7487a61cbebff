package dev.recast.deploy;

import com.bertramlabs.plugins.hcl4j.HCLParser;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Terraform file parsed by hcl4j with given variable values: hcl4j evaluates expressions (conditions, locals,
 * counts) with them, so a validation's condition becomes true or false offline. The Terraform functions the module
 * uses and hcl4j lacks are added here, as Terraform defines them for the arguments the module gives them.
 */
final class TerraformEvaluation {

    private TerraformEvaluation() {
    }

    static Map<String, Object> parse(Path file, Map<String, Object> variables) {
        HCLParser parser = new HCLParser();
        parser.setVariables(variables);
        parser.registerFunction("compact", args -> ((List<?>) args.getFirst()).stream()
                .filter(v -> v != null && !"".equals(v)).toList());
        parser.registerFunction("merge", args -> {
            Map<Object, Object> merged = new LinkedHashMap<>();
            args.forEach(map -> merged.putAll((Map<?, ?>) map));
            return merged;
        });
        parser.registerFunction("tostring", args -> String.valueOf(args.getFirst()));
        parser.registerFunction("keys", args -> new ArrayList<>(((Map<?, ?>) args.getFirst()).keySet()));
        // Terraform's regex fails when nothing matches, and can() turns a failure into false (RE2 and Java agree on
        // the module's patterns)
        parser.registerFunction("regex", args -> {
            Matcher match = Pattern.compile((String) args.get(0)).matcher((String) args.get(1));
            return match.find() ? match.group() : null;
        });
        parser.registerFunction("can", args -> args.getFirst() != null);
        try {
            return parser.parse(file.toFile(), "UTF-8");
        } catch (Exception e) {
            throw new IllegalStateException("cannot parse " + file, e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node, String... path) {
        Object at = node;
        for (String key : path) {
            if (!(at instanceof Map<?, ?> map) || !map.containsKey(key)) {
                throw new AssertionError("missing " + String.join(".", path));
            }
            at = map.get(key);
        }
        return (Map<String, Object>) at;
    }

    /** A block that may appear once (a map) or several times (a list of maps), as a list. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> all(Object blocks) {
        if (blocks == null) {
            return List.of();
        }
        return blocks instanceof List<?> list ? (List<Map<String, Object>>) list : List.of((Map<String, Object>) blocks);
    }
}
