package dev.platform.core.deploy;

import java.util.List;

/**
 * Port: the long-running containers of previews and production (on AWS, ECS services on Fargate).
 * Every call is idempotent: what already exists is adopted, what is already gone is success.
 */
public interface ContainerServices {

    /** Registers a new revision of the spec's family; @return its ARN. */
    String registerTaskDefinition(TaskDefinitionSpec spec);

    /** Deregisters (and deletes) a revision; an unknown or already inactive one is not an error. */
    void deregisterTaskDefinition(String taskDefinitionArn);

    /** The ARNs of every active revision of a family, for the teardown. */
    List<String> taskDefinitions(String family);

    /**
     * Creates the service, or updates an existing (active) one to the spec's task definition and
     * desired count.
     *
     * @return the id of the ECS deployment that rolls the task definition out; its state changes arrive
     *     as "ECS Deployment State Change" events
     */
    String deploy(ServiceSpec spec);

    /**
     * Points an existing service at another task definition (a rollback or a promote: no rebuild),
     * with one UpdateService.
     *
     * @return the id of the ECS deployment that rolls it out
     * @throws IllegalStateException when the service does not exist
     */
    String update(String serviceName, String taskDefinitionArn);

    /**
     * Sets the service's desired count alone (0 puts a preview to sleep: its tasks drain from the target group).
     *
     * @throws IllegalStateException when the service does not exist
     */
    void scale(String serviceName, int desiredCount);

    /**
     * Starts a sleeping service again: desired count 1 and a new ECS deployment of its current task definition,
     * whose completion (its task healthy in the target group) arrives as an "ECS Deployment State Change" event.
     *
     * @return the id of that ECS deployment
     * @throws IllegalStateException when the service does not exist
     */
    String wake(String serviceName);

    /** Scales the service to 0 and deletes it; an unknown or already deleted service is not an error. */
    void delete(String serviceName);

    /** Every active service of the platform's cluster that carries {@link ResourceTags#PROJECT}. */
    List<TaggedResource> services();
}
