package dev.platform.aws.ecr;

import dev.platform.core.build.ImageRegistry;
import java.util.Optional;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.DescribeImagesResponse;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecr.model.ImageNotFoundException;

/** The platform's ECR repository: where an image tag points, by digest, so deploys never run a movable tag. */
public final class EcrImageRegistry implements ImageRegistry {
    private final EcrClient ecr;
    private final String repositoryUri;
    private final String repositoryName;

    /** @param repositoryUri {@code <account>.dkr.ecr.<region>.amazonaws.com/<name>} */
    public EcrImageRegistry(EcrClient ecr, String repositoryUri) {
        this.ecr = ecr;
        this.repositoryUri = repositoryUri;
        int slash = repositoryUri.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("an ECR repository URI is <registry>/<name>, got " + repositoryUri);
        }
        this.repositoryName = repositoryUri.substring(slash + 1);
    }

    @Override
    public String repositoryUri() {
        return repositoryUri;
    }

    @Override
    public Optional<String> imageByTag(String tag) {
        try {
            DescribeImagesResponse response = ecr.describeImages(r -> r.repositoryName(repositoryName)
                    .imageIds(ImageIdentifier.builder().imageTag(tag).build()));
            return response.imageDetails().stream().findFirst().map(image -> repositoryUri + "@" + image.imageDigest());
        } catch (ImageNotFoundException notPushed) {
            return Optional.empty();
        }
    }
}
