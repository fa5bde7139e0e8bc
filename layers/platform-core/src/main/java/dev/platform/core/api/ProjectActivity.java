package dev.platform.core.api;

import dev.platform.core.deploy.Deployment;
import dev.platform.core.ids.ProjectId;
import dev.platform.core.preview.Preview;

/** Port: a project's previews and deployments, a page at a time, as the API lists them. */
public interface ProjectActivity {

    /** The project's pull request previews, by number. */
    Page<Preview> previews(ProjectId projectId, String after, int limit);

    /** The project's deployments, previews' and production's, newest first. */
    Page<Deployment> deployments(ProjectId projectId, String after, int limit);
}
