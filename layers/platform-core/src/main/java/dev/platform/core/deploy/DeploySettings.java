package dev.platform.core.deploy;

import java.util.List;

/**
 * How a project's app runs: the port it listens on, the path its health is checked on, its Fargate size
 * and its command (empty: the image's own).
 */
public record DeploySettings(int port, String healthCheckPath, int cpu, int memoryMiB, List<String> command) {
    /** 0.25 vCPU and 512 MiB, the smallest Fargate size; port 3000, as most app frameworks default to. */
    public static final DeploySettings DEFAULTS = new DeploySettings(3000, "/", 256, 512, List.of());
    /** The one container of an app's task definition. */
    public static final String CONTAINER = "app";

    public DeploySettings {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1-65535: " + port);
        }
        if (!healthCheckPath.startsWith("/")) {
            throw new IllegalArgumentException("the health check path must start with /: " + healthCheckPath);
        }
        command = List.copyOf(command);
    }
}
