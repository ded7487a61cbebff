package dev.recast.webhook;

import dev.recast.RecastException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A webhook rule's convert may name the format it writes: {@code "format": "v2s2"} is the way back. */
class WebhookRuleFormatTest {

    @Test
    void aRuleCarriesItsFormatAndLeavesItOutByDefault() {
        List<WebhookRule> rules = WebhookProcessor.parseRules("""
                [{"tag":".+-oci","convert":{"target":"{repository}:{tag}-docker","format":"v2s2"}},
                 {"tag":".+","convert":{"target":"{repository}:{tag}-oci"}}]""", null);
        assertEquals("v2s2", rules.get(0).convert().format());
        assertNull(rules.get(1).convert().format());
        assertNull(WebhookRule.convertingTo("{repository}:{tag}-oci").convert().format());
        assertThrows(RecastException.class, () -> WebhookProcessor.parseRules(
                "[{\"convert\":{\"target\":\"{repository}:x\",\"formats\":\"v2s2\"}}]", null));
    }
}
