package dev.platform.local.ecr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.ImageNotFoundException;

/** The local ECR's answers reach the SDK client, errors included. */
class LocalEcrTest {
    @Test
    void aMissingTagIsImageNotFound() throws IOException {
        try (LocalEcr ecr = LocalEcr.start("127.0.0.1", null);
             EcrClient client = EcrClient.builder().endpointOverride(ecr.endpoint()).region(Region.US_EAST_1)
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                     .httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
            ecr.push(new LocalEcr.Image("platform-previews", "abc1234", "sha256:" + "0".repeat(64), 10, Instant.now()));
            assertEquals("sha256:" + "0".repeat(64), client.describeImages(r -> r.repositoryName("platform-previews")
                    .imageIds(i -> i.imageTag("abc1234"))).imageDetails().get(0).imageDigest());
            assertThrows(ImageNotFoundException.class, () -> client.describeImages(r -> r.repositoryName("platform-previews")
                    .imageIds(i -> i.imageTag("missing"))));
        }
    }
}
