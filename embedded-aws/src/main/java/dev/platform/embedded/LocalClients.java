package dev.platform.embedded;

import java.net.URI;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/** SDK clients and function settings for the embedded services (fixed region, dummy credentials). */
public final class LocalClients {
    public static final String REGION = "us-east-1";

    private LocalClients() {
    }

    public static DynamoDbClient dynamoDb(URI endpoint) {
        return build(DynamoDbClient.builder().endpointOverride(endpoint));
    }

    public static SqsClient sqs(URI endpoint) {
        return build(SqsClient.builder().endpointOverride(endpoint));
    }

    /** Path-style, as S3 emulators answer on one host. */
    public static S3Client s3(URI endpoint) {
        return build(S3Client.builder().endpointOverride(endpoint).forcePathStyle(true));
    }

    /** What a function needs in its settings to reach the embedded services. */
    public static Map<String, String> settings(URI dynamoDbEndpoint, URI sqsEndpoint) {
        return Map.of(
                "AWS_REGION", REGION,
                "AWS_ACCESS_KEY_ID", "local",
                "AWS_SECRET_ACCESS_KEY", "local",
                "AWS_ENDPOINT_URL_DYNAMODB", dynamoDbEndpoint.toString(),
                "AWS_ENDPOINT_URL_SQS", sqsEndpoint.toString());
    }

    private static <B extends AwsClientBuilder<B, C> & SdkSyncClientBuilder<B, C>, C> C build(B builder) {
        return builder.region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }
}
