package dev.platform.local;

import dev.platform.local.http.CallCounts;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.platform.core.json.Json;
import dev.platform.local.cloudwatch.LocalCloudWatch;
import dev.platform.local.ecr.LocalEcr;
import dev.platform.local.ecs.LocalEcs;
import dev.platform.local.elb.LocalElb;
import dev.platform.local.github.LocalGitHub;
import dev.platform.local.s3.LocalS3;
import dev.platform.local.s3.ObjectInfo;

/**
 * {@code GET /_local/resources}: what the local stand-ins of AWS and GitHub hold — builder tasks (every
 * one ever started), pushed images, source snapshots, GitHub's check runs and webhook deliveries, and the
 * app services, target groups, listener rules and task definitions that exist now (deleted ones are gone),
 * and the calls each stand-in of ECS, ELB, CloudWatch and GitHub answered since the start, per operation.
 * Local only: nothing like it is deployed.
 */
final class LocalResources {
    private LocalResources() {
    }

    static String json(LocalEcs ecs, LocalElb elb, LocalEcr ecr, LocalS3 s3, LocalGitHub gitHub, LocalCloudWatch cloudWatch) {
        ObjectNode resources = Json.object();
        resources.set("tasks", ecs.resources());
        resources.set("images", ecr.resources());
        ArrayNode sources = resources.putArray("sources");
        for (ObjectInfo object : s3.objects()) {
            sources.addObject().put("bucket", object.bucket()).put("key", object.key()).put("size", object.size());
        }
        resources.set("github", gitHub.resources());
        resources.set("services", ecs.serviceResources());
        resources.set("targetGroups", elb.targetGroupResources());
        resources.set("listenerRules", elb.listenerRuleResources());
        resources.set("taskDefinitions", ecs.taskDefinitionResources());
        ObjectNode calls = resources.putObject("calls");
        calls.set("ecs", ecs.calls().json());
        calls.set("elb", elb.calls().json());
        calls.set("cloudwatch", cloudWatch.calls().json());
        calls.set("github", gitHub.calls().json());
        return Json.write(resources);
    }
}
