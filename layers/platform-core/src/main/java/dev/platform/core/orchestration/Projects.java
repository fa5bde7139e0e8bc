package dev.platform.core.orchestration;

import dev.platform.core.ids.InstallationId;
import dev.platform.core.ids.ProjectId;
import java.util.Optional;

/** Port: projects, as builds and the GitHub App's installations need them. */
public interface Projects {

    /** The project with its repository, production branch, build settings and installation. */
    Optional<ProjectLink> project(ProjectId projectId);

    /**
     * Records which installation of the GitHub App serves the project's repository (null: none), on the
     * project and on its repository link.
     */
    void setInstallation(ProjectLink project, InstallationId installation);
}
