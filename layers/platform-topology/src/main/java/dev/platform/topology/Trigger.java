package dev.platform.topology;

import java.util.List;

/** What invokes a function. */
public sealed interface Trigger {

    /** An API Gateway REST route (proxy integration), open to anyone: the function checks what it is sent. */
    record HttpRoute(String method, String path) implements Trigger {
    }

    /**
     * Routes of the REST API (proxy integration), one function per resource family. A route that needs a
     * token goes through {@link ApiAuthorizer}, which hands the function the caller; an open one reaches the
     * function with whatever {@code Authorization} it was sent.
     */
    record ApiRoutes(List<ApiRoute> routes) implements Trigger {
        public ApiRoutes {
            if (routes.isEmpty()) {
                throw new IllegalArgumentException("an API function serves at least one route");
            }
            routes = List.copyOf(routes);
        }
    }

    /**
     * One route of the REST API.
     *
     * @param path with {@code {name}} path parameters, as API Gateway and the OpenAPI document write them
     * @param tokenRequired true: behind the authorizer
     */
    record ApiRoute(String method, String path, boolean tokenRequired) {
        public static ApiRoute authorized(String method, String path) {
            return new ApiRoute(method, path, true);
        }

        public static ApiRoute open(String method, String path) {
            return new ApiRoute(method, path, false);
        }
    }

    /**
     * The REST API's Lambda authorizer (REQUEST type, identity source the {@code Authorization} header): it
     * resolves a bearer token to its user for every {@link ApiRoute#tokenRequired()} route.
     *
     * @param cacheSeconds how long API Gateway keeps an answer per token (0: not at all)
     */
    record ApiAuthorizer(int cacheSeconds) implements Trigger {
    }

    /**
     * An SQS event source mapping that reports partial batch failures.
     *
     * @param batchSize messages per invocation (at most 10 for FIFO queues)
     */
    record QueueTrigger(QueueSpec queue, int batchSize) implements Trigger {
        public QueueTrigger {
            if (batchSize < 1 || (queue.fifo() && batchSize > 10)) {
                throw new IllegalArgumentException("batch size out of range for " + queue.name() + ": " + batchSize);
            }
        }
    }

    /**
     * An EventBridge rule on the platform bus: events with source {@link Topology#EVENT_SOURCE} and
     * one of these {@code detail-type}s invoke the function asynchronously. Deployed with a
     * dead-letter queue and an explicit retry policy on the target.
     */
    record EventRule(List<String> detailTypes) implements Trigger {
        public EventRule {
            if (detailTypes.isEmpty()) {
                throw new IllegalArgumentException("an event rule needs at least one detail type");
            }
            detailTypes = List.copyOf(detailTypes);
        }
    }

    /**
     * An EventBridge rule on the account's default bus: ECS "Task State Change" events of one task family
     * in the platform's cluster, with one of these {@code lastStatus}es, invoke the function asynchronously
     * (dead-letter queue and retry policy as for {@link EventRule}).
     *
     * @param taskFamily the task definition family ({@link Topology#BUILDER_FAMILY})
     */
    record EcsTaskStateChange(String taskFamily, List<String> lastStatuses) implements Trigger {
        public static final String SOURCE = "aws.ecs";
        public static final String DETAIL_TYPE = "ECS Task State Change";

        public EcsTaskStateChange {
            if (lastStatuses.isEmpty()) {
                throw new IllegalArgumentException("name at least one lastStatus");
            }
            lastStatuses = List.copyOf(lastStatuses);
        }
    }

    /** A schedule: the function runs every {@code everyMinutes} minutes (an EventBridge rate rule). */
    record Schedule(int everyMinutes) implements Trigger {
        public Schedule {
            if (everyMinutes < 1) {
                throw new IllegalArgumentException("a schedule runs at most every minute");
            }
        }
    }
    /**
     * An EventBridge rule on the account's default bus: ECS "Deployment State Change" events of the
     * services in the app cluster ({@code APP_CLUSTER}) invoke the function asynchronously (dead-letter
     * queue and retry policy as for {@link EventRule}).
     */
    record EcsDeploymentStateChange() implements Trigger {
        public static final String SOURCE = "aws.ecs";
        public static final String DETAIL_TYPE = "ECS Deployment State Change";
    }

    /**
     * The load balancers' Lambda target: one Lambda target group per preview shard, with no listener rule of its
     * own. A sleeping preview's host rule forwards to its shard's group ({@code WAKER_TARGET_GROUP_ARNS}), which
     * ties the group to that shard's load balancer, so its requests invoke the function with ALB request events.
     */
    record LoadBalancerTarget() implements Trigger {
    }
}
