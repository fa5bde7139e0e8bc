package dev.platform.aws.elb;

import dev.platform.core.deploy.PriorityTakenException;
import dev.platform.core.deploy.ResourceTags;
import dev.platform.core.deploy.Routing;
import dev.platform.core.deploy.TaggedResource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DuplicateTargetGroupNameException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ListenerNotFoundException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerNotFoundException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.PriorityInUseException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleNotFoundException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TagDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupNotFoundException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;

/**
 * Routing on ELBv2: an IP target group per environment and a host-header rule per environment on the
 * HTTPS listener of its load balancer: a preview shard's, or production's. Rules and target groups carry
 * the platform's tags so the reconciler finds them; nothing untagged is listed.
 */
public final class ElbRouting implements Routing {
    /** The shard number that means the production listener rather than a preview shard's. */
    public static final int PRODUCTION = -1;
    /** DescribeTags takes at most 20 resource ARNs per call. */
    private static final int TAGS_BATCH = 20;
    private static final String HOST_HEADER = "host-header";

    /**
     * The app load balancers' listeners.
     *
     * @param vpcId where target groups are created
     * @param previewListenerArns the HTTPS listener of each preview shard, the index being the shard
     * @param productionListenerArn the HTTPS listener of production, shard {@link #PRODUCTION}
     */
    public record Config(String vpcId, List<String> previewListenerArns, String productionListenerArn) {
        public Config {
            previewListenerArns = List.copyOf(previewListenerArns);
        }
    }

    private final ElasticLoadBalancingV2Client elb;
    private final Config config;

    public ElbRouting(ElasticLoadBalancingV2Client elb, Config config) {
        this.elb = elb;
        this.config = config;
    }

    @Override
    public String ensureTargetGroup(String name, int port, String healthCheckPath, Map<String, String> tags) {
        try {
            // AWS answers a repeated creation with identical settings with the existing group
            return elb.createTargetGroup(r -> r
                    .name(name)
                    .targetType(TargetTypeEnum.IP)
                    .protocol(ProtocolEnum.HTTP)
                    .port(port)
                    .vpcId(config.vpcId())
                    .healthCheckPath(healthCheckPath)
                    .matcher(m -> m.httpCode("200-399"))
                    .tags(tags(tags)))
                    .targetGroups().getFirst().targetGroupArn();
        } catch (DuplicateTargetGroupNameException e) {
            // same name, other settings (moto: any repeated creation): adopt it, with the platform's tags
            String arn = elb.describeTargetGroups(r -> r.names(name)).targetGroups().getFirst().targetGroupArn();
            elb.addTags(r -> r.resourceArns(arn).tags(tags(tags)));
            return arn;
        }
    }

    /** A group still used by a rule fails with ResourceInUse: the caller deletes the rule and retries. */
    @Override
    public void deleteTargetGroup(String targetGroupArn) {
        try {
            elb.deleteTargetGroup(r -> r.targetGroupArn(targetGroupArn));
        } catch (TargetGroupNotFoundException gone) {
            // already deleted: moto answers TargetGroupNotFound (AWS documents only ResourceInUse here)
        }
    }

    /** @param shard a preview shard (0, 1, ...), or {@link #PRODUCTION} */
    @Override
    public String ensureHostRule(int shard, int priority, String host, String targetGroupArn, Map<String, String> tags) {
        String listener = listener(shard);
        Optional<Rule> existing = rules(listener).stream().filter(rule -> host.equals(host(rule))).findFirst();
        if (existing.isPresent()) {
            forward(existing.get().ruleArn(), targetGroupArn);
            return existing.get().ruleArn();
        }
        try {
            return elb.createRule(r -> r
                    .listenerArn(listener)
                    .priority(priority)
                    .conditions(RuleCondition.builder().field(HOST_HEADER).hostHeaderConfig(h -> h.values(host)).build())
                    .actions(forwardTo(targetGroupArn))
                    .tags(tags(tags)))
                    .rules().getFirst().ruleArn();
        } catch (PriorityInUseException e) {
            // a concurrent call for the same host won the priority (adopt its rule), or another host holds it
            Rule holder = rules(listener).stream()
                    .filter(rule -> Integer.toString(priority).equals(rule.priority()))
                    .findFirst()
                    .orElseThrow(() -> e);
            if (!host.equals(host(holder))) {
                throw new PriorityTakenException(priority, host, listener);
            }
            forward(holder.ruleArn(), targetGroupArn);
            return holder.ruleArn();
        }
    }

    @Override
    public void forward(String ruleArn, String targetGroupArn) {
        elb.modifyRule(r -> r.ruleArn(ruleArn).actions(forwardTo(targetGroupArn)));
    }

    @Override
    public void deleteRule(String ruleArn) {
        try {
            elb.deleteRule(r -> r.ruleArn(ruleArn));
        } catch (RuleNotFoundException gone) {
            // already deleted (AWS; moto answers success for an unknown rule)
        }
    }

    @Override
    public List<TaggedResource> targetGroups() {
        Map<String, String> names = new LinkedHashMap<>();
        elb.describeTargetGroupsPaginator().targetGroups()
                .forEach(group -> names.put(group.targetGroupArn(), group.targetGroupName()));
        // ELBv2 does not say when a target group was created
        return tagged(names);
    }

    @Override
    public List<TaggedResource> hostRules() {
        Map<String, String> hosts = new LinkedHashMap<>();
        List<String> listeners = new ArrayList<>(config.previewListenerArns());
        listeners.add(config.productionListenerArn());
        for (String listener : listeners) {
            for (Rule rule : rules(listener)) {
                String host = host(rule);
                if (host != null) {
                    hosts.put(rule.ruleArn(), host);
                }
            }
        }
        return tagged(hosts);
    }

    /** @param names ARN → name; @return those carrying {@link ResourceTags#PROJECT}, in the same order */
    private List<TaggedResource> tagged(Map<String, String> names) {
        List<String> arns = List.copyOf(names.keySet());
        List<TaggedResource> tagged = new ArrayList<>();
        for (int from = 0; from < arns.size(); from += TAGS_BATCH) {
            List<String> batch = arns.subList(from, Math.min(from + TAGS_BATCH, arns.size()));
            for (TagDescription description : tags(batch)) {
                Map<String, String> tags = description.tags().stream().collect(Collectors.toMap(Tag::key, Tag::value));
                if (tags.containsKey(ResourceTags.PROJECT)) {
                    tagged.add(new TaggedResource(description.resourceArn(), names.get(description.resourceArn()), tags, null));
                }
            }
        }
        return tagged;
    }

    /**
     * The tags of these resources. One deleted since it was listed (a teardown running beside the listing) fails the
     * whole batch: then each is asked for alone, and the ones gone are left out.
     */
    private List<TagDescription> tags(List<String> arns) {
        try {
            return elb.describeTags(r -> r.resourceArns(arns)).tagDescriptions();
        } catch (TargetGroupNotFoundException | RuleNotFoundException | ListenerNotFoundException
                 | LoadBalancerNotFoundException goneMeanwhile) {
            List<TagDescription> found = new ArrayList<>();
            for (String arn : arns) {
                try {
                    found.addAll(elb.describeTags(r -> r.resourceArns(arn)).tagDescriptions());
                } catch (TargetGroupNotFoundException | RuleNotFoundException | ListenerNotFoundException
                         | LoadBalancerNotFoundException gone) {
                    // deleted since it was listed: nothing of it to reconcile or tear down
                }
            }
            return found;
        }
    }

    private String listener(int shard) {
        if (shard == PRODUCTION) {
            return config.productionListenerArn();
        }
        if (shard < 0 || shard >= config.previewListenerArns().size()) {
            throw new IllegalArgumentException("no preview listener for shard " + shard + ": "
                    + config.previewListenerArns().size() + " configured");
        }
        return config.previewListenerArns().get(shard);
    }

    private List<Rule> rules(String listener) {
        List<Rule> rules = new ArrayList<>();
        elb.describeRulesPaginator(r -> r.listenerArn(listener)).rules().forEach(rules::add);
        return rules;
    }

    /** The host of a rule with one host-header condition, or null (the default rule, other conditions). */
    private static String host(Rule rule) {
        for (RuleCondition condition : rule.conditions()) {
            if (HOST_HEADER.equals(condition.field())) {
                // hostHeaderConfig is the current form; values the legacy one (some emulators answer only that)
                List<String> values = condition.hostHeaderConfig() != null && condition.hostHeaderConfig().hasValues()
                        ? condition.hostHeaderConfig().values() : condition.values();
                return values.size() == 1 ? values.getFirst() : null;
            }
        }
        return null;
    }

    private static Action forwardTo(String targetGroupArn) {
        return Action.builder().type(ActionTypeEnum.FORWARD).targetGroupArn(targetGroupArn).build();
    }

    private static List<Tag> tags(Map<String, String> tags) {
        return tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
    }
}
