"""gunicorn settings shared by the three HTTP apps (local stack and image).

No `preload_app`: each worker builds its app, hence its MongoDB and Kafka clients, after the
fork, so no client's sockets or threads are shared between processes.
"""
import os

workers = int(os.environ.get("HUB_WORKERS", "2"))
worker_class = "gthread"
threads = int(os.environ.get("HUB_THREADS", "4"))
timeout = 30
graceful_timeout = 10
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
# Three apps run side by side on one machine: no shared control socket in $HOME.
control_socket_disable = True
