package dev.platform.aws;

import java.time.Duration;

/**
 * How long an AWS SDK call may take, derived from the function's timeout
 * ({@code FUNCTION_TIMEOUT_SECONDS}): a whole call (retries included) gets half of it, one attempt a
 * third of that. The other half is left for the function's own work and its answer: the webhook
 * (10 s) gives up on SQS after 5 s and still answers its JSON 503 in time, where a hung call would have
 * become API Gateway's 504. Without the setting (tests, tools) the webhook's timeout is assumed.
 *
 * @param call the whole call, retries included ({@code apiCallTimeout})
 * @param attempt one HTTP attempt ({@code apiCallAttemptTimeout}, also the connect and read timeouts)
 */
record SdkTimeouts(Duration call, Duration attempt) {
    static final int DEFAULT_FUNCTION_TIMEOUT_SECONDS = 10;

    static SdkTimeouts of(PlatformConfig config) {
        int functionSeconds = config.intSetting(PlatformConfig.FUNCTION_TIMEOUT_SECONDS, DEFAULT_FUNCTION_TIMEOUT_SECONDS);
        Duration call = Duration.ofMillis(functionSeconds * 1000L / 2);
        return new SdkTimeouts(call, call.dividedBy(3));
    }
}
