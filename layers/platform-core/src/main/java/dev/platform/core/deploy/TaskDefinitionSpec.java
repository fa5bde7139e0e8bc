package dev.platform.core.deploy;

import java.util.List;
import java.util.Map;

/**
 * One revision of an app's task definition: a single container running the image by digest.
 *
 * @param family the task definition family (one per environment: a preview or production)
 * @param containerName the container the service's load balancer sends traffic to
 * @param image the image by digest ({@code <repository>@sha256:...})
 * @param port the port the app listens on
 * @param cpu CPU units (256 = 0.25 vCPU), a Fargate size
 * @param memoryMiB memory in MiB, a Fargate size for {@code cpu}
 * @param command the container's command, empty for the image's own
 * @param environment plain environment variables (never secrets)
 */
public record TaskDefinitionSpec(String family, String containerName, String image, int port, int cpu, int memoryMiB,
                                 List<String> command, Map<String, String> environment, Map<String, String> tags) {
    public TaskDefinitionSpec {
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
        tags = Map.copyOf(tags);
    }
}
