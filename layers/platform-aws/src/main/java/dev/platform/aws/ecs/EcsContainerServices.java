package dev.platform.aws.ecs;

import dev.platform.core.deploy.ContainerServices;
import dev.platform.core.deploy.ResourceTags;
import dev.platform.core.deploy.ServiceSpec;
import dev.platform.core.deploy.TaggedResource;
import dev.platform.core.deploy.TaskDefinitionSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.AssignPublicIp;
import software.amazon.awssdk.services.ecs.model.ClientException;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.LoadBalancer;
import software.amazon.awssdk.services.ecs.model.LogDriver;
import software.amazon.awssdk.services.ecs.model.NetworkConfiguration;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.PortMapping;
import software.amazon.awssdk.services.ecs.model.PropagateTags;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceField;
import software.amazon.awssdk.services.ecs.model.ServiceNotActiveException;
import software.amazon.awssdk.services.ecs.model.ServiceNotFoundException;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;
import software.amazon.awssdk.services.ecs.model.TransportProtocol;
import software.amazon.awssdk.services.ecs.model.UpdateServiceRequest;

/**
 * Previews and production as ECS services on Fargate in the app cluster: private subnets without a
 * public IP, the app security group, a deployment circuit breaker that rolls a failing revision back,
 * and the platform's tags on services and task definitions (propagated to their tasks) so the
 * reconciler finds them.
 */
public final class EcsContainerServices implements ContainerServices {
    /** Seconds the load balancer's health checks are ignored after a task starts (app start-up time). */
    static final int HEALTH_CHECK_GRACE_SECONDS = 30;
    /** DescribeServices takes at most 10 services per call. */
    private static final int DESCRIBE_BATCH = 10;

    /**
     * Where app tasks run and log.
     *
     * @param subnets private subnets
     * @param logGroup the CloudWatch log group of the awslogs driver, in {@code region}
     */
    public record Config(String cluster, List<String> subnets, String securityGroup, String executionRoleArn,
                         String taskRoleArn, String logGroup, String region) {
        public Config {
            subnets = List.copyOf(subnets);
        }
    }

    private final EcsClient ecs;
    private final Config config;

    public EcsContainerServices(EcsClient ecs, Config config) {
        this.ecs = ecs;
        this.config = config;
    }

    @Override
    public String registerTaskDefinition(TaskDefinitionSpec spec) {
        ContainerDefinition.Builder container = ContainerDefinition.builder()
                .name(spec.containerName())
                .image(spec.image())
                .essential(true)
                .portMappings(PortMapping.builder().containerPort(spec.port()).protocol(TransportProtocol.TCP).build())
                .environment(spec.environment().entrySet().stream()
                        .map(e -> KeyValuePair.builder().name(e.getKey()).value(e.getValue()).build())
                        .toList())
                .logConfiguration(l -> l.logDriver(LogDriver.AWSLOGS).options(Map.of(
                        "awslogs-group", config.logGroup(),
                        "awslogs-region", config.region(),
                        "awslogs-stream-prefix", spec.family())));
        if (!spec.command().isEmpty()) {
            container.command(spec.command());
        }
        return ecs.registerTaskDefinition(r -> r
                .family(spec.family())
                .requiresCompatibilities(Compatibility.FARGATE)
                .networkMode(NetworkMode.AWSVPC)
                .cpu(Integer.toString(spec.cpu()))
                .memory(Integer.toString(spec.memoryMiB()))
                .executionRoleArn(config.executionRoleArn())
                .taskRoleArn(config.taskRoleArn())
                .containerDefinitions(container.build())
                .tags(tags(spec.tags())))
                .taskDefinition().taskDefinitionArn();
    }

    /**
     * Deregisters the revision (no new task can start from it), then asks ECS to delete it: ECS keeps
     * inactive revisions forever otherwise. The deletion's failures (a revision already being deleted, or
     * still used by draining tasks) are not errors: the revision is already out of every listing.
     */
    @Override
    public void deregisterTaskDefinition(String taskDefinitionArn) {
        try {
            ecs.deregisterTaskDefinition(r -> r.taskDefinition(taskDefinitionArn));
        } catch (ClientException | InvalidParameterException e) {
            // "The specified task definition does not exist" (ClientException) or "Unable to describe
            // task definition" (InvalidParameterException): already deleted, or never registered
            if (!unknownTaskDefinition(e.getMessage())) {
                throw e;
            }
            return;
        }
        ecs.deleteTaskDefinitions(r -> r.taskDefinitions(taskDefinitionArn));
    }

    private static boolean unknownTaskDefinition(String message) {
        String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
        return m.contains("does not exist") || m.contains("unable to describe");
    }

    @Override
    public List<String> taskDefinitions(String family) {
        List<String> arns = new ArrayList<>();
        // familyPrefix is a prefix: "pr-1" also lists "pr-12"'s revisions, so keep exactly this family
        ecs.listTaskDefinitionsPaginator(r -> r.familyPrefix(family).status(TaskDefinitionStatus.ACTIVE))
                .taskDefinitionArns()
                .forEach(arn -> {
                    if (family.equals(familyOf(arn))) {
                        arns.add(arn);
                    }
                });
        return arns;
    }

    /** {@code arn:aws:ecs:<region>:<account>:task-definition/<family>:<revision>} → the family. */
    static String familyOf(String taskDefinitionArn) {
        String familyAndRevision = taskDefinitionArn.substring(taskDefinitionArn.lastIndexOf('/') + 1);
        return familyAndRevision.substring(0, familyAndRevision.lastIndexOf(':'));
    }

    @Override
    public String deploy(ServiceSpec spec) {
        if (active(spec.serviceName())) {
            return updateService(spec.serviceName(), spec.taskDefinitionArn(), spec.desiredCount());
        }
        try {
            return primaryDeployment(ecs.createService(r -> r
                    .cluster(config.cluster())
                    .serviceName(spec.serviceName())
                    .clientToken(spec.clientToken())
                    .taskDefinition(spec.taskDefinitionArn())
                    .desiredCount(spec.desiredCount())
                    .launchType(LaunchType.FARGATE)
                    .networkConfiguration(network())
                    .loadBalancers(LoadBalancer.builder()
                            .targetGroupArn(spec.targetGroupArn())
                            .containerName(spec.containerName())
                            .containerPort(spec.containerPort())
                            .build())
                    .deploymentConfiguration(d -> d.deploymentCircuitBreaker(c -> c.enable(true).rollback(true)))
                    .healthCheckGracePeriodSeconds(HEALTH_CHECK_GRACE_SECONDS)
                    .tags(tags(spec.tags()))
                    .propagateTags(PropagateTags.SERVICE)
                    .enableECSManagedTags(true)).service(), spec.serviceName());
        } catch (InvalidParameterException e) {
            // Another caller created it since DescribeServices ("Creation of service was not idempotent"):
            // adopt it and point it at this spec.
            if (!active(spec.serviceName())) {
                throw e;
            }
            return updateService(spec.serviceName(), spec.taskDefinitionArn(), spec.desiredCount());
        }
    }

    private NetworkConfiguration network() {
        return NetworkConfiguration.builder().awsvpcConfiguration(v -> v
                .subnets(config.subnets())
                .securityGroups(config.securityGroup())
                .assignPublicIp(AssignPublicIp.DISABLED)).build();
    }

    private boolean active(String serviceName) {
        return ecs.describeServices(r -> r.cluster(config.cluster()).services(serviceName)).services().stream()
                .anyMatch(s -> "ACTIVE".equals(s.status()));
    }

    private String updateService(String serviceName, String taskDefinitionArn, int desiredCount) {
        return primaryDeployment(ecs.updateService(r -> r
                .cluster(config.cluster())
                .service(serviceName)
                .taskDefinition(taskDefinitionArn)
                .desiredCount(desiredCount)).service(), serviceName);
    }

    @Override
    public String update(String serviceName, String taskDefinitionArn) {
        return primaryDeployment(activeService(serviceName, "point at " + taskDefinitionArn,
                r -> r.taskDefinition(taskDefinitionArn)), serviceName);
    }

    @Override
    public void scale(String serviceName, int desiredCount) {
        activeService(serviceName, "scale to " + desiredCount, r -> r.desiredCount(desiredCount));
    }

    @Override
    public String wake(String serviceName) {
        // A new deployment, not only the desired count: its completion (the task healthy in the target group)
        // is the "ECS Deployment State Change" event the deployment watcher ends the wake on.
        return primaryDeployment(activeService(serviceName, "wake",
                r -> r.desiredCount(1).forceNewDeployment(true)), serviceName);
    }

    private Service activeService(String serviceName, String what,
                                  Consumer<UpdateServiceRequest.Builder> change) {
        Service service;
        try {
            service = ecs.updateService(r -> change.accept(r.cluster(config.cluster()).service(serviceName))).service();
        } catch (ServiceNotFoundException | ServiceNotActiveException e) {
            throw new IllegalStateException("cannot " + what + " service " + serviceName + " of cluster "
                    + config.cluster() + ": it does not exist or is not active", e);
        }
        // AWS refuses to update a deleted (INACTIVE) service with ServiceNotActive; moto updates it and
        // answers with its INACTIVE status, so the status is checked as well.
        if (!"ACTIVE".equals(service.status())) {
            throw new IllegalStateException("cannot " + what + " service " + serviceName + " of cluster "
                    + config.cluster() + ": it is " + service.status());
        }
        return service;
    }

    /** The deployment that rolls the service's current task definition out (ECS marks it PRIMARY). */
    private static String primaryDeployment(Service service, String serviceName) {
        return service.deployments().stream()
                .filter(d -> "PRIMARY".equals(d.status()))
                .map(Deployment::id)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("service " + serviceName + " has no PRIMARY deployment"));
    }

    @Override
    public void delete(String serviceName) {
        try {
            // DeleteService refuses a service with running tasks unless forced; scaling to 0 first lets
            // the tasks drain from the target group instead of being killed mid-request.
            ecs.updateService(r -> r.cluster(config.cluster()).service(serviceName).desiredCount(0));
            ecs.deleteService(r -> r.cluster(config.cluster()).service(serviceName).force(true));
        } catch (ServiceNotFoundException | ServiceNotActiveException gone) {
            // already deleted (or draining after a delete): nothing left to do
        }
    }

    @Override
    public List<TaggedResource> services() {
        List<String> arns = new ArrayList<>();
        ecs.listServicesPaginator(r -> r.cluster(config.cluster())).serviceArns().forEach(arns::add);
        List<TaggedResource> services = new ArrayList<>();
        for (int from = 0; from < arns.size(); from += DESCRIBE_BATCH) {
            List<String> batch = arns.subList(from, Math.min(from + DESCRIBE_BATCH, arns.size()));
            for (Service service : ecs.describeServices(r -> r.cluster(config.cluster()).services(batch)
                    .include(ServiceField.TAGS)).services()) {
                Map<String, String> tags = service.tags().stream().collect(Collectors.toMap(Tag::key, Tag::value));
                if ("ACTIVE".equals(service.status()) && tags.containsKey(ResourceTags.PROJECT)) {
                    services.add(new TaggedResource(service.serviceArn(), service.serviceName(), tags, service.createdAt()));
                }
            }
        }
        return services;
    }

    private static List<Tag> tags(Map<String, String> tags) {
        return tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
    }
}
