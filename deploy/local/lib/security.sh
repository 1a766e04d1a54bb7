# The local stack's token issuer: an RSA key pair in $CAIRN_STATE_DIR/security that the services verify REST tokens
# with (CAIRN_JWT_PUBLIC_KEY), and 'deploy/local/cairn token' to mint one. The test harness (LocalIssuer) reads and
# makes the same files. Sourced by deploy/local/cairn; never run directly.

CAIRN_SECURITY_DIR=$CAIRN_STATE_DIR/security
CAIRN_JWT_ISSUER=${CAIRN_JWT_ISSUER:-https://cairn.local}

# Makes the key pair once (under a lock: test JVMs may be making it at the same moment); owner-only files.
security_keys() {
  mkdir -p "$CAIRN_SECURITY_DIR" && chmod 700 "$CAIRN_SECURITY_DIR"
  (
    flock 9
    if [ ! -f "$CAIRN_SECURITY_DIR/jwt-private.pem" ] || [ ! -f "$CAIRN_SECURITY_DIR/jwt-public.pem" ]; then
      local tmp; tmp=$(mktemp -d "$CAIRN_SECURITY_DIR/.new.XXXXXX")
      openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$tmp/private.pem" 2>/dev/null \
        && openssl pkey -in "$tmp/private.pem" -pubout -out "$tmp/public.pem" 2>/dev/null \
        || { rm -rf "$tmp"; exit 1; }
      chmod 600 "$tmp/private.pem" "$tmp/public.pem"
      mv -f "$tmp/public.pem" "$CAIRN_SECURITY_DIR/jwt-public.pem"
      mv -f "$tmp/private.pem" "$CAIRN_SECURITY_DIR/jwt-private.pem"
      rmdir "$tmp"
      echo "made the local token issuer's key pair in $CAIRN_SECURITY_DIR" >&2
    fi
  ) 9>"$CAIRN_SECURITY_DIR/.keys.lock" || die "cannot make the token signing key in $CAIRN_SECURITY_DIR (openssl)"
}

# The public key as the services take it: the PEM's base64 body on one line.
security_public_key() {
  security_keys
  grep -v -- '-----' "$CAIRN_SECURITY_DIR/jwt-public.pem" | tr -d '\n'
}

b64url() { openssl base64 -e -A | tr '+/' '-_' | tr -d '='; }

# mint_token ROLE DOMAINS TTL_SECONDS SUBJECT: an RS256 token the services accept; DOMAINS is comma-separated names
# or patterns with * and ?.
mint_token() {
  local role=$1 domains=$2 ttl=$3 subject=$4
  case $role in viewer|operator|admin) ;; *) die "unknown role '$role' (viewer, operator or admin)" ;; esac
  [[ $ttl =~ ^[0-9]+$ ]] || die "--ttl takes seconds, not '$ttl'"
  [[ $subject =~ ^[A-Za-z0-9._@-]{1,64}$ ]] || die "--subject may hold letters, digits and . _ @ - only"
  local list="" pattern
  IFS=',' read -ra patterns <<<"$domains"
  for pattern in "${patterns[@]}"; do
    [[ $pattern =~ ^[A-Za-z0-9._*?+-]{1,128}$ ]] || die "domain pattern '$pattern' may hold letters, digits, . _ + - * ? only"
    list+="${list:+,}\"$pattern\""
  done
  security_keys
  local now jti header payload unsigned
  now=$(date +%s)
  jti=$(cat /proc/sys/kernel/random/uuid)
  header='{"alg":"RS256","typ":"JWT","kid":"cairn-local-1"}'
  payload="{\"iss\":\"$CAIRN_JWT_ISSUER\",\"sub\":\"$subject\",\"upn\":\"$subject\",\"groups\":[\"$role\"],\"cairn_domains\":[$list],\"iat\":$now,\"exp\":$((now + ttl)),\"jti\":\"$jti\"}"
  unsigned="$(printf '%s' "$header" | b64url).$(printf '%s' "$payload" | b64url)"
  printf '%s.%s\n' "$unsigned" "$(printf '%s' "$unsigned" \
    | openssl dgst -sha256 -sign "$CAIRN_SECURITY_DIR/jwt-private.pem" -binary | b64url)"
}

# deploy/local/cairn token [--role R] [--domains LIST] [--ttl SECONDS] [--subject NAME]
token() {
  local role=operator domains='*' ttl=43200 subject=${USER:-cairn-user}
  while [ $# -gt 0 ]; do
    case $1 in
      --role) role=${2:?--role needs a value}; shift ;;
      --domains) domains=${2:?--domains needs a value}; shift ;;
      --ttl) ttl=${2:?--ttl needs a value}; shift ;;
      --subject) subject=${2:?--subject needs a value}; shift ;;
      *) die "unknown option '$1' (token [--role viewer|operator|admin] [--domains LIST] [--ttl SECONDS] [--subject NAME])" ;;
    esac
    shift
  done
  ensure_state_dirs
  mint_token "$role" "$domains" "$ttl" "$subject"
}
