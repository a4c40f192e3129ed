/* cleanup.c - temporary paths removed when a signal ends the run (see
 * cleanup.h). */
#include "cleanup.h"

#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "outdir.h"

struct entry {
	char *path;   /* NULL: a free slot */
	bool tree;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct entry *entries;
static size_t n_entries, cap_entries;

int cleanup_register(const char *path, bool tree)
{
	char *copy = strdup(path);
	if (!copy)
		return 0;
	pthread_mutex_lock(&lock);
	size_t slot = 0;
	while (slot < n_entries && entries[slot].path)
		slot++;
	if (slot == n_entries) {
		if (n_entries == cap_entries) {
			size_t cap = cap_entries ? 2 * cap_entries : 16;
			struct entry *grown = cap < INT_MAX ? realloc(entries, cap * sizeof *grown) : NULL;
			if (!grown) {
				pthread_mutex_unlock(&lock);
				free(copy);
				return 0;
			}
			entries = grown;
			cap_entries = cap;
		}
		n_entries++;
	}
	entries[slot] = (struct entry){ copy, tree };
	pthread_mutex_unlock(&lock);
	return (int)slot + 1;
}

void cleanup_forget(int handle)
{
	if (handle <= 0)
		return;
	pthread_mutex_lock(&lock);
	if ((size_t)handle <= n_entries) {
		free(entries[handle - 1].path);
		entries[handle - 1].path = NULL;
	}
	pthread_mutex_unlock(&lock);
}

/* Waits for a signal, removes every registered path (folders after the
 * files registered in them: files first), and ends the process.  The lock
 * is kept: nothing registers or renames a temporary path afterwards. */
static void *waiter(void *arg)
{
	sigset_t *set = arg;
	int sig = 0;
	if (sigwait(set, &sig) != 0)
		return NULL;
	pthread_mutex_lock(&lock);
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < n_entries; i++)
			if (entries[i].path && entries[i].tree == (pass == 1)) {
				if (entries[i].tree)
					fs_remove_tree(entries[i].path);
				else
					unlink(entries[i].path);
			}
	static const char message[] = "termdrift: interrupted: temporary files removed\n";
	if (write(STDERR_FILENO, message, sizeof message - 1) < 0) {
		/* nothing more to say */
	}
	_exit(128 + sig);
}

int cleanup_on_signals(void)
{
	static sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	if (pthread_sigmask(SIG_BLOCK, &set, NULL) != 0)
		return -1;
	pthread_t thread;
	if (pthread_create(&thread, NULL, waiter, &set) != 0)
		return -1;
	pthread_detach(thread);
	return 0;
}
