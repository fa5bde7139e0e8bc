package dev.platform.infra;

import dev.platform.topology.FunctionSpec;
import dev.platform.topology.Topology;
import java.util.List;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Tags;
import software.constructs.Construct;

/**
 * The whole platform: four stacks, split by how they change and what losing them costs.
 * {@value #DATA} (table, webhook secret) and {@value #MESSAGING} (queues, dead-letter queues, bus,
 * alarms) hold state and change rarely; {@value #CONTROL_PLANE} (layer, functions, API, rules) is
 * stateless and changes with every code change; {@value #COMPUTE} (VPC, ECS, ECR, load balancer, DNS,
 * the builder's task definition and source bucket) is the slow-to-create base the control plane uses. Stacks are environment-agnostic: the account and region come
 * from the CLI's credentials at deploy time, and nothing is looked up at synth time.
 */
public record Platform(DataStack data, MessagingStack messaging, ControlPlaneStack controlPlane, ComputeStack compute) {
    public static final String DATA = "PlatformData";
    public static final String MESSAGING = "PlatformMessaging";
    public static final String CONTROL_PLANE = "PlatformControlPlane";
    public static final String COMPUTE = "PlatformCompute";

    public static Platform build(Construct app, PlatformSettings settings, List<FunctionSpec> functions, Artifacts artifacts) {
        Tags.of(app).add("platform", "preview-platform");
        DataStack data = new DataStack(app, DATA,
                props("Platform state: the single DynamoDB table and the GitHub webhook secret"), Topology.TABLE, settings);
        MessagingStack messaging = new MessagingStack(app, MESSAGING,
                props("Platform messaging: queues, dead-letter queues and alarms, the event bus"), functions, settings);
        ComputeStack compute = new ComputeStack(app, COMPUTE,
                props("Platform compute base: VPC, ECS cluster, ECR repositories, preview load balancer, builder"), settings);
        ControlPlaneStack controlPlane = new ControlPlaneStack(app, CONTROL_PLANE,
                props("Platform control plane: Lambda functions of the topology, REST API, bus rules"),
                functions, artifacts, data, messaging, compute, settings);
        return new Platform(data, messaging, controlPlane, compute);
    }

    private static StackProps props(String description) {
        return StackProps.builder().description(description).build();
    }
}
