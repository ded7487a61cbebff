package dev.recast.webhook;

import dev.recast.RecastException;
import dev.recast.model.Content;
import dev.recast.registry.referrers.ReferrerTags;
import dev.recast.registry.reference.RegistryReference;
import dev.recast.service.ConversionService;
import dev.recast.service.TargetTemplate;
import io.micrometer.core.instrument.MeterRegistry;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a delivery's push events into jobs by the rules: drops what Recast must not act on (its own pushes, tags its
 * rules produce, pushes no rule matches), fixes each job's target from its rule's template (refusing a pushed value
 * that would choose the host), and pins each job to a digest (asking the registry when the payload gives none), so
 * that jobs are the same work exactly when they convert the same digest to the same target.
 */
final class WebhookPlanner {
    private static final Logger LOG = Logger.getLogger(WebhookPlanner.class);

    private final List<WebhookRule> rules;
    private final Map<String, String> aliases;
    private final Set<String> ownUsers;
    private final ConversionService service;
    private final MeterRegistry metrics;

    /** What a delivery planned: its jobs, and why each other event was left alone. */
    record Plan(List<WebhookJob> jobs, List<String> ignored) {
    }

    WebhookPlanner(List<WebhookRule> rules, Map<String, String> aliases, Set<String> ownUsers,
                   ConversionService service, MeterRegistry metrics) {
        this.rules = rules;
        this.aliases = aliases;
        this.ownUsers = ownUsers;
        this.service = service;
        this.metrics = metrics;
    }

    /** Plans a delivery's jobs; refuses (400) events naming hosts not allowed. */
    Plan plan(Provider provider, List<PushEvent> received) {
        List<PushEvent> events = received.stream().map(this::alias).toList();
        events.forEach(e -> service.checkRegistry(e.registry()));
        List<WebhookJob> jobs = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        for (PushEvent event : events) {
            Optional<WebhookRule> rule = rules.stream().filter(r -> r.matches(event)).findFirst();
            String why = ignoreReason(event, rule.isPresent());
            if (why != null) {
                ignored.add(event.describe() + ": " + why);
                count(provider, "ignored");
                continue;
            }
            List<PlannedTarget> targets;
            try {
                targets = targets(event, rule.get());
            } catch (RecastException e) {
                LOG.warnf("webhook delivery provider=%s event=%s refused: %s", provider.pathName(), event.describe(),
                        e.getMessage());
                ignored.add(event.describe() + ": refused: " + e.detail());
                count(provider, "refused");
                continue;
            }
            Optional<PushEvent> pinned = targets.isEmpty() ? Optional.of(event) : pinned(event);
            if (pinned.isEmpty()) {
                ignored.add(event.describe() + ": the pushed tag is gone");
                count(provider, "ignored");
                continue;
            }
            targets.forEach(t -> jobs.add(t.job(pinned.get(), rule.get())));
            count(provider, "accepted");
        }
        return new Plan(jobs, ignored);
    }

    private PushEvent alias(PushEvent event) {
        String to = aliases.get(event.registry());
        return to == null ? event : new PushEvent(to, event.repository(), event.tag(), event.digest(), event.mediaType(), event.actor());
    }

    /** Reasons known without asking the registry; the rest (annotations, compression) are checked by the job. */
    private String ignoreReason(PushEvent event, boolean ruleMatches) {
        if (event.actor() != null && ownUsers.contains(event.actor())) {
            return "pushed by Recast's own registry user";
        }
        if (service.isLayerCache(event.repository())) {
            return "a layer cache entry Recast wrote (recast.cache.repository)";
        }
        if (event.tag() == null) {
            return "a push by digest only: rules match tags";
        }
        if (ReferrerTags.isReferrerTag(event.tag())) {
            return "a referrers tag (sha256-<hex> index, cosign .sig/.att/.sbom): it belongs to an image";
        }
        for (WebhookRule rule : rules) {
            if (rule.convert() != null && producedBy(rule, event)) {
                return "the tag is one Recast's rules produce";
            }
        }
        if (!ruleMatches) {
            return "no rule matches";
        }
        return null;
    }

    /** True when the event's repository:tag has the shape of the rule's convert target (e.g. {tag}-oci). */
    static boolean producedBy(WebhookRule rule, PushEvent event) {
        String template = rule.convert().target();
        if (Boolean.TRUE.equals(rule.convert().inPlace()) || template.equals("{repository}:{tag}")) {
            return false;
        }
        StringBuilder regex = new StringBuilder();
        Matcher placeholder = Pattern.compile("\\{([A-Za-z]+)}").matcher(template);
        int last = 0;
        while (placeholder.find()) {
            regex.append(Pattern.quote(template.substring(last, placeholder.start())));
            regex.append(switch (placeholder.group(1)) {
                case "repository" -> Pattern.quote(event.repository());
                case "registry" -> Pattern.quote(event.registry());
                default -> ".+";
            });
            last = placeholder.end();
        }
        regex.append(Pattern.quote(template.substring(last)));
        String local = event.repository() + ":" + event.tag();
        String full = event.registry() + "/" + local;
        Pattern shape = Pattern.compile(regex.toString());
        return shape.matcher(local).matches() || shape.matcher(full).matches();
    }

    /** A job's kind and target, before the event is pinned to a digest. */
    private record PlannedTarget(WebhookJob.Kind kind, RegistryReference target) {
        WebhookJob job(PushEvent event, WebhookRule rule) {
            String image = event.registry() + "/" + event.repository();
            if (kind == WebhookJob.Kind.CONVERT) {
                // the digest, not the tag: a re-push of the tag is new work, a redelivery of the digest is not
                return new WebhookJob("convert|" + image + "@" + event.digest() + "|" + target,
                        "convert " + event.describe() + " → " + target, event, rule, kind, target);
            }
            // keyed by the pushed arch too: each arch's push must get its chance to complete the set
            return new WebhookJob("index|" + image + "|" + target + "|" + event.tag() + "|" + event.digest(),
                    "index " + target + " from " + rule.index().platforms() + " of " + image, event, rule, kind, target);
        }
    }

    /** The rule's targets for this push; throws (BAD_REQUEST) when a pushed value would redirect one. */
    private static List<PlannedTarget> targets(PushEvent event, WebhookRule rule) {
        List<PlannedTarget> targets = new ArrayList<>();
        if (rule.convert() != null) {
            targets.add(new PlannedTarget(WebhookJob.Kind.CONVERT, TargetTemplate.parse(rule.convert().target())
                    .fill(event.registry(), rule.variables(event))));
        }
        if (rule.index() != null) {
            Matcher group = Pattern.compile(rule.index().group()).matcher(event.tag());
            if (group.matches()) {
                Map<String, String> vars = rule.variables(event);
                boolean versioned = rule.index().group().contains("(?<version>") && group.group("version") != null;
                vars.put("version", versioned ? group.group("version") : event.tag());
                vars.put("arch", group.group("arch"));
                targets.add(new PlannedTarget(WebhookJob.Kind.INDEX, TargetTemplate.parse(rule.index().target())
                        .fill(event.registry(), vars)));
            }
        }
        return targets;
    }

    /** The event with its digest: as the payload says, or what the tag names now; empty when the tag is gone. */
    private Optional<PushEvent> pinned(PushEvent event) {
        if (event.digest() != null) {
            return Optional.of(event);
        }
        RegistryReference tagged = new RegistryReference(event.registry(), event.repository(), event.tag(), null);
        return service.findManifest(tagged).map(Content::digest).map(digest -> new PushEvent(event.registry(),
                event.repository(), event.tag(), digest, event.mediaType(), event.actor()));
    }

    private void count(Provider provider, String result) {
        metrics.counter("recast.webhook.events", "provider", provider.pathName(), "result", result).increment();
    }

    /** Events of a provider that ended with this result (accepted, ignored, refused), for tests and the dashboard. */
    double events(Provider provider, String result) {
        var counter = metrics.find("recast.webhook.events").tags("provider", provider.pathName(), "result", result).counter();
        return counter == null ? 0 : counter.count();
    }
}
