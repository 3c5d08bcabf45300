/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A network on disk, laid out as vde_switch does so libvdeplug finds it:
 *
 *   PATH/          directory, owner:group of the network, mode 0755
 *   PATH/ctl       stream socket where members hand in their join request; mode
 *                  0666: the engine, not the filesystem, decides (access.h)
 *   PATH/N         datagram socket of port N (VDE members), owned by the member
 *   PATH/.denied   dead socket, mode 0000: the reply to a refused VDE member,
 *                  whose connect() then fails with EACCES
 *   PATH/.full     dead socket: the reply when no port is free (ECONNREFUSED)
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include "access.h"
#include "engine.h"

static int sun_of(const char *dir, const char *name, struct sockaddr_un *sun)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	int n = snprintf(sun->sun_path, sizeof(sun->sun_path), "%s/%s", dir, name);
	return (n < 0 || (size_t)n >= sizeof(sun->sun_path)) ? -ENAMETOOLONG : 0;
}

int dir_port_path(const struct net *n, uint32_t port, char *out, size_t cap)
{
	int k = snprintf(out, cap, "%s/%u", n->cfg.path, port);
	return (k < 0 || (size_t)k >= cap) ? -ENAMETOOLONG : 0;
}

/* Names the engine or a VDE client may have left in a network directory. */
static bool ours(const char *name)
{
	if (!strcmp(name, "ctl") || !strcmp(name, ".denied") || !strcmp(name, ".full"))
		return true;
	if (name[0] == '.') { /* a libvdeplug client's socket: .PPPPP-NNNNN */
		int pid, no;
		char end;
		return sscanf(name, ".%d-%d%c", &pid, &no, &end) == 2;
	}
	size_t i = 0;
	while (name[i] >= '0' && name[i] <= '9')
		i++;
	return i > 0 && name[i] == 0;
}

/* Remove what a previous run left behind; -EEXIST when anything is foreign. */
static int clean_stale(const char *path, const char **why)
{
	int dfd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0)
		return *why = "path exists and is not a directory", -EEXIST;
	DIR *d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return -errno;
	}
	int rc = 0;
	struct dirent *e;
	while (rc == 0 && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		struct stat st;
		if (fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISSOCK(st.st_mode) ||
		    !ours(e->d_name)) {
			*why = "path exists and holds files that are not a network's";
			rc = -EEXIST;
		}
	}
	if (rc == 0) {
		rewinddir(d);
		while ((e = readdir(d)))
			if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
				unlinkat(dfd, e->d_name, 0);
	}
	closedir(d);
	return rc;
}

/* Is something serving PATH/ctl right now (another engine, a vde_switch)? */
static bool served(const char *path)
{
	struct sockaddr_un sun;
	if (sun_of(path, "ctl", &sun) < 0)
		return false;
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return false;
	bool up = connect(s, (struct sockaddr *)&sun, sizeof(sun)) == 0;
	close(s);
	return up;
}

/* A socket file nobody listens on: connecting to it fails the way we want. */
static void dead_socket(const char *path, const char *name, mode_t mode)
{
	struct sockaddr_un sun;
	if (sun_of(path, name, &sun) < 0)
		return;
	int s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return;
	unlink(sun.sun_path);
	if (bind(s, (struct sockaddr *)&sun, sizeof(sun)) == 0)
		chmod(sun.sun_path, mode);
	close(s);
}

void dir_apply_access(const struct ipn_net_config *cfg)
{
	struct sockaddr_un sun;
	if (chown(cfg->path, cfg->uid, cfg->gid) < 0 && E.uid == 0)
		log_msg("%s: chown: %m", cfg->path);
	chmod(cfg->path, ACCESS_DIR_MODE);
	if (sun_of(cfg->path, "ctl", &sun) == 0) {
		if (chown(sun.sun_path, cfg->uid, cfg->gid) < 0 && E.uid == 0)
			log_msg("%s: chown: %m", sun.sun_path);
		chmod(sun.sun_path, ACCESS_CTL_MODE);
	}
}

int dir_create(const struct ipn_net_config *cfg, int *ctl_fd, const char **why)
{
	struct stat st;
	bool made = false;
	if (lstat(cfg->path, &st) == 0) {
		if (!S_ISDIR(st.st_mode))
			return *why = "path exists and is not a directory", -EEXIST;
		if (served(cfg->path))
			return *why = "something already serves this path", -EADDRINUSE;
		int rc = clean_stale(cfg->path, why);
		if (rc < 0)
			return rc;
	} else if (errno != ENOENT) {
		*why = "cannot inspect the path";
		return -errno;
	} else if (mkdir(cfg->path, 0700) < 0) {
		*why = errno == ENOENT ? "the path's parent directory does not exist"
				       : "cannot create the network's directory";
		return -errno;
	} else {
		made = true;
	}
	struct sockaddr_un sun;
	int s = -1, rc = sun_of(cfg->path, "ctl", &sun);
	if (rc < 0) {
		*why = "path too long";
		goto fail;
	}
	s = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s < 0 || bind(s, (struct sockaddr *)&sun, sizeof(sun)) < 0 || listen(s, 128) < 0) {
		rc = -errno;
		*why = "cannot create the control socket";
		goto fail;
	}
	dead_socket(cfg->path, ".denied", 0);
	dead_socket(cfg->path, ".full", 0666);
	dir_apply_access(cfg);
	*ctl_fd = s;
	return 0;
fail:
	if (s >= 0)
		close(s);
	if (made)
		dir_remove(cfg);
	return rc;
}

void dir_remove(const struct ipn_net_config *cfg)
{
	int dfd = open(cfg->path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0)
		return;
	DIR *d = fdopendir(dfd);
	if (d) {
		struct dirent *e;
		while ((e = readdir(d)))
			if (ours(e->d_name))
				unlinkat(dfd, e->d_name, 0);
		closedir(d);
	} else {
		close(dfd);
	}
	if (rmdir(cfg->path) < 0)
		log_msg("%s: cannot remove: %m", cfg->path);
}
