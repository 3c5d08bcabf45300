/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ipn-engine: the user-space data plane. Usually started by libipn:
 *
 *   ipn-engine --rundir DIR [--foreground] [--ready-fd N] [--no-idle-exit]
 *
 * It daemonizes (double fork, setsid, fds closed, stdio on /dev/null, log in
 * DIR/engine.log) so networks outlive whoever started it. DIR/engine.lock
 * keeps one engine per rundir; DIR/engine.pid names it. When --ready-fd is
 * given it writes "ok\n" there once it serves DIR/engine.ctl (or "running\n"
 * if another engine already does), so the starter never guesses.
 *
 * It exits on SIGTERM/SIGINT or IPNC_SHUTDOWN (destroying every network:
 * taps deleted, grabs released, directories removed), and by itself once it
 * hosts no network and has no control client left (unless --no-idle-exit).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>
#include "engine.h"

static void usage(void)
{
	fprintf(stderr, "usage: ipn-engine --rundir DIR [--foreground] [--ready-fd N] "
			"[--no-idle-exit]\n");
	exit(2);
}

static void ready(int fd, const char *msg)
{
	if (fd < 0)
		return;
	if (write(fd, msg, strlen(msg)) < 0) {
		/* the starter gave up waiting; nothing to do */
	}
	close(fd);
}

static void fail(int ready_fd, const char *what, int err)
{
	char msg[256];
	snprintf(msg, sizeof(msg), "error %s: %s\n", what, strerror(err));
	log_msg("%s", msg);
	if (ready_fd >= 0)
		ready(ready_fd, msg);
	else
		fputs(msg, stderr);
	exit(1);
}

static void daemonize(int keep1, int keep2)
{
	pid_t pid = fork();
	if (pid < 0)
		fail(keep1, "fork", errno);
	if (pid > 0)
		_exit(0);
	setsid();
	pid = fork();
	if (pid < 0)
		fail(keep1, "fork", errno);
	if (pid > 0)
		_exit(0);
	if (chdir("/") < 0) {
		/* "/" always exists */
	}
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		if (null > 2)
			close(null);
	}
	/* close everything inherited but what we need */
	for (int fd = 3; fd < 1024; fd++)
		if (fd != keep1 && fd != keep2)
			close(fd);
}

static void on_signal(struct ev *ev, uint32_t events)
{
	struct signalfd_siginfo si;
	(void)events;
	if (read(ev->fd, &si, sizeof(si)) == sizeof(si))
		log_msg("signal %u: stopping", si.ssi_signo);
	E.stop = true;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"rundir", required_argument, NULL, 'r'},
		{"foreground", no_argument, NULL, 'f'},
		{"ready-fd", required_argument, NULL, 'R'},
		{"no-idle-exit", no_argument, NULL, 'n'},
		{NULL, 0, NULL, 0},
	};
	const char *rundir = NULL;
	bool fg = false;
	int ready_fd = -1, c;
	E.idle_exit = true;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'r': rundir = optarg; break;
		case 'f': fg = true; break;
		case 'R': ready_fd = atoi(optarg); break;
		case 'n': E.idle_exit = false; break;
		default: usage();
		}
	}
	if (!rundir || rundir[0] != '/' || optind != argc)
		usage();
	if (strlen(rundir) + sizeof("/engine.lock") > sizeof(E.rundir))
		fail(ready_fd, "rundir", ENAMETOOLONG);
	snprintf(E.rundir, sizeof(E.rundir), "%s", rundir);
	E.uid = geteuid();
	umask(077);
	if (mkdir(rundir, 0755) < 0 && errno != EEXIST)
		fail(ready_fd, "creating the rundir", errno);
	chmod(rundir, 0755);

	char path[IPN_PATH_MAX + 16];
	snprintf(path, sizeof(path), "%s/engine.lock", rundir);
	int lock = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (lock < 0)
		fail(ready_fd, "opening the lock", errno);
	if (flock(lock, LOCK_EX | LOCK_NB) < 0) {
		ready(ready_fd, "running\n");
		return 0;
	}
	if (!fg)
		daemonize(ready_fd, lock);
	snprintf(path, sizeof(path), "%s/engine.log", rundir);
	if (!fg)
		log_open(path);
	signal(SIGPIPE, SIG_IGN);
	sigset_t ss;
	sigemptyset(&ss);
	sigaddset(&ss, SIGTERM);
	sigaddset(&ss, SIGINT);
	sigaddset(&ss, SIGHUP);
	sigprocmask(SIG_BLOCK, &ss, NULL);
	int sfd = signalfd(-1, &ss, SFD_NONBLOCK | SFD_CLOEXEC);
	int rc = loop_init();
	if (rc < 0)
		fail(ready_fd, "epoll", -rc);
	struct ev sig_ev;
	if (sfd >= 0)
		ev_add(&sig_ev, sfd, EPOLLIN, on_signal);
	rc = ctl_listen();
	if (rc < 0)
		fail(ready_fd, "binding engine.ctl", -rc);
	snprintf(path, sizeof(path), "%s/engine.pid", rundir);
	FILE *pf = fopen(path, "we");
	if (pf) {
		fprintf(pf, "%d\n", (int)getpid());
		fclose(pf);
		chmod(path, 0644);
	}
	log_msg("engine %d serving %s/engine.ctl", (int)getpid(), rundir);
	ready(ready_fd, "ok\n");

	loop_run();

	while (E.nets)
		net_destroy(E.nets);
	snprintf(path, sizeof(path), "%s/engine.ctl", rundir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/engine.pid", rundir);
	unlink(path);
	log_msg("engine %d stopped", (int)getpid());
	return 0;
}
