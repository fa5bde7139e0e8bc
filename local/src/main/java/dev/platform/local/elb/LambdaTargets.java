package dev.platform.local.elb;

import com.amazonaws.services.lambda.runtime.events.ApplicationLoadBalancerRequestEvent;
import com.amazonaws.services.lambda.runtime.events.ApplicationLoadBalancerResponseEvent;

/**
 * The Lambda functions that lambda target groups can have as their target, by function ARN: what a load balancer
 * reaches through Lambda's synchronous Invoke. Called from many requests at once; an implementation takes no lock
 * of its own around the function.
 */
@FunctionalInterface
public interface LambdaTargets {

    /** No function has this ARN (Lambda's ResourceNotFoundException): the load balancer answers 502. */
    final class NoSuchFunction extends RuntimeException {
        public NoSuchFunction(String functionArn) {
            super("no function " + functionArn);
        }
    }

    /**
     * Invokes the function with the load balancer's request event and returns its answer as it returned it.
     *
     * @throws NoSuchFunction when no function has this ARN
     * @throws RuntimeException whatever the function threw
     */
    ApplicationLoadBalancerResponseEvent invoke(String functionArn, ApplicationLoadBalancerRequestEvent event);
}
