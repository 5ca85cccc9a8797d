#!/usr/bin/env bash
# Runs a command beside a throwaway Postfix and Dovecot on loopback (REL-1: mail through a real
# MTA). Usage: with-mail-servers.sh TANDEM_BINARY COMMAND…
#
# Postfix listens for SMTP on a free port and routes by domain:
#   - tandem.test: piped to `TANDEM_BINARY mailgate`, with the settings the test writes to
#     $TANDEM_TEST_MTA_DIR/tandem.env (TANDEM_DATA_DIR, TANDEM_DATABASE, …: its own store);
#   - customer.test: delivered over LMTP into Dovecot, where IMAP reads it back (any user, the
#     password "secret").
# The command sees TANDEM_TEST_MTA="<smtp port> <imap port> <mail user>" and
# TANDEM_TEST_MTA_DIR. Both servers are stopped and their files removed afterwards.
#
# Postfix's pipe will not run a command as root, so mailgate runs as the system user
# `tandem-mail` (made here): the test gives that user its store's files. Without root this cannot
# be arranged, and the command runs alone (the round-trip test then says it was skipped).
set -euo pipefail

binary=$1
shift
if [ "$(id -u)" -ne 0 ] || ! command -v postfix >/dev/null || ! command -v dovecot >/dev/null; then
  echo "with-mail-servers: needs root, postfix and dovecot; the mail round trip is skipped" >&2
  exec "$@"
fi

user=tandem-mail
id "$user" >/dev/null 2>&1 || useradd --system --user-group --no-create-home --shell /usr/sbin/nologin "$user"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
smtp=$(free_port)
imap=$(free_port)
lmtp=$(free_port)
while [ "$imap" = "$smtp" ]; do imap=$(free_port); done
while [ "$lmtp" = "$smtp" ] || [ "$lmtp" = "$imap" ]; do lmtp=$(free_port); done

dir=$(mktemp -d "${TMPDIR:-/tmp}/tandem-mta.XXXXXX")
chmod 755 "$dir"
mkdir -p "$dir/postfix" "$dir/spool" "$dir/postfix-data" "$dir/dovecot" "$dir/mail"
chown postfix "$dir/postfix-data"
chown "$user:$user" "$dir/mail"
# The binary must be reachable by the pipe's user.
binary=$(readlink -f "$binary")

stop() {
  postfix -c "$dir/postfix" stop >/dev/null 2>&1 || true
  [ -f "$dir/dovecot/master.pid" ] && kill "$(cat "$dir/dovecot/master.pid")" 2>/dev/null || true
  # Dovecot removes its pid file on exit: wait for that before removing its directory.
  for _ in $(seq 50); do [ -f "$dir/dovecot/master.pid" ] || break; sleep 0.1; done
  rm -rf "$dir"
}
trap stop EXIT

cat >"$dir/postfix/main.cf" <<EOF
compatibility_level = 3.6
queue_directory = $dir/spool
data_directory = $dir/postfix-data
mail_owner = postfix
setgid_group = postdrop
myhostname = mta.tandem.test
mydomain = tandem.test
myorigin = \$myhostname
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mydestination =
local_recipient_maps =
alias_maps =
alias_database =
mynetworks = 127.0.0.0/8
relay_domains = tandem.test, customer.test
relay_recipient_maps =
transport_maps = inline:{ tandem.test=tandem:, customer.test=lmtp:inet:127.0.0.1:$lmtp }
# Relays for its own two domains only, whoever asks: mail to anyone else is refused at once (5xx).
smtpd_relay_restrictions = reject_unauth_destination
smtputf8_enable = no
biff = no
maillog_file = $dir/postfix.log
maillog_file_prefixes = $dir
tandem_destination_recipient_limit = 1
# A test waits for mail, not for a queue run.
queue_run_delay = 1s
minimal_backoff_time = 1s
maximal_backoff_time = 2s
EOF
cat >"$dir/postfix/master.cf" <<EOF
127.0.0.1:$smtp inet n - n - - smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
lmtp      unix  -       -       n       -       -       lmtp
smtp      unix  -       -       n       -       -       smtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
tandem    unix  -       n       n       -       -       pipe
  flags=Rq user=$user argv=/bin/sh $dir/mailgate.sh
EOF
cat >"$dir/mailgate.sh" <<EOF
#!/bin/sh
set -a
. $dir/tandem.env
set +a
exec $binary mailgate
EOF
: >"$dir/tandem.env"
chmod 644 "$dir/mailgate.sh" "$dir/tandem.env"

cat >"$dir/dovecot.conf" <<EOF
base_dir = $dir/dovecot
state_dir = $dir/dovecot
instance_name = tandem-test-$smtp
listen = 127.0.0.1
protocols = imap lmtp
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 1
# The tests try wrong passwords on purpose: no delay, no growing penalty for loopback.
auth_failure_delay = 0
login_trusted_networks = 127.0.0.0/8
log_path = $dir/dovecot.log
mail_location = maildir:$dir/mail/%n
mail_uid = $user
mail_gid = $user
passdb {
  driver = static
  args = password=secret
}
userdb {
  driver = static
  args = uid=$user gid=$user home=$dir/mail/%n
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $imap
  }
  inet_listener imaps {
    port = 0
  }
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = $lmtp
  }
  unix_listener lmtp {
    mode = 0
  }
}
protocol lmtp {
  postmaster_address = postmaster@customer.test
}
EOF

dovecot -c "$dir/dovecot.conf" || { cat "$dir/dovecot.log" >&2 2>/dev/null; exit 1; }
postfix -c "$dir/postfix" start || { postfix -c "$dir/postfix" check; cat "$dir/postfix.log" >&2 2>/dev/null; exit 1; }

# Both listen before the command starts.
for port in "$smtp" "$imap"; do
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.1
  done
done

export TANDEM_TEST_MTA="$smtp $imap $user"
export TANDEM_TEST_MTA_DIR="$dir"
set +e
"$@"
status=$?
set -e
if [ $status -ne 0 ] && [ -n "${TANDEM_TEST_MTA_LOGS:-}" ]; then
  cat "$dir/postfix.log" "$dir/dovecot.log" >&2 2>/dev/null || true
fi
exit $status
