package dev.platform.core.build;

import java.util.Optional;

/** Port: the platform's image repository (ECR), where the builder pushes. */
public interface ImageRegistry {

    /** The repository's URI (where the builder pushes, and an image tag's prefix). */
    String repositoryUri();

    /** The image tagged {@code tag}, by digest ({@code <repository uri>@sha256:...}), if it was pushed. */
    Optional<String> imageByTag(String tag);
}
