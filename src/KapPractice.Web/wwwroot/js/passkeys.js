// Passkeys for the admin area: creating one on the Security page, signing in with one on the sign-in page.
// A form marked data-passkey="create" or "sign-in" fetches the server's challenge from data-passkey-options,
// asks the browser's authenticator, puts the result in the form's CredentialJson field and submits the form.
// Without this script (or without passkey support) the passkey controls stay hidden; password and code work as before.

const supported = typeof window.PublicKeyCredential === "function" && !!navigator.credentials;

const toBytes = (base64url) => {
  const base64 = base64url.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(base64url.length / 4) * 4, "=");
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
};

const toBase64url = (buffer) =>
  btoa(String.fromCharCode(...new Uint8Array(buffer))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

// Browsers without parseCreationOptionsFromJSON / toJSON (older Safari and Firefox) get the same conversion by hand.
const creationOptions = (json) => {
  if (typeof PublicKeyCredential.parseCreationOptionsFromJSON === "function") {
    return PublicKeyCredential.parseCreationOptionsFromJSON(json);
  }
  return {
    ...json,
    challenge: toBytes(json.challenge),
    user: { ...json.user, id: toBytes(json.user.id) },
    excludeCredentials: (json.excludeCredentials ?? []).map((c) => ({ ...c, id: toBytes(c.id) })),
  };
};

const requestOptions = (json) => {
  if (typeof PublicKeyCredential.parseRequestOptionsFromJSON === "function") {
    return PublicKeyCredential.parseRequestOptionsFromJSON(json);
  }
  return {
    ...json,
    challenge: toBytes(json.challenge),
    allowCredentials: (json.allowCredentials ?? []).map((c) => ({ ...c, id: toBytes(c.id) })),
  };
};

const credentialJson = (credential) => {
  if (typeof credential.toJSON === "function") {
    return JSON.stringify(credential);
  }
  const response = credential.response;
  const json = {
    id: credential.id,
    rawId: toBase64url(credential.rawId),
    type: credential.type,
    authenticatorAttachment: credential.authenticatorAttachment ?? null,
    clientExtensionResults: credential.getClientExtensionResults(),
    response: { clientDataJSON: toBase64url(response.clientDataJSON) },
  };
  if (response.attestationObject) {
    json.response.attestationObject = toBase64url(response.attestationObject);
    json.response.transports = typeof response.getTransports === "function" ? response.getTransports() : [];
  } else {
    json.response.authenticatorData = toBase64url(response.authenticatorData);
    json.response.signature = toBase64url(response.signature);
    json.response.userHandle = response.userHandle ? toBase64url(response.userHandle) : null;
  }
  return JSON.stringify(json);
};

const messageFor = (error) =>
  error?.name === "NotAllowedError" || error?.name === "AbortError"
    ? "The passkey was not used: the request was cancelled or timed out."
    : error?.name === "InvalidStateError"
      ? "This device already holds a passkey for this account."
      : error?.message || "The passkey did not work in this browser.";

const run = async (form) => {
  const operation = form.dataset.passkey;
  const error = form.querySelector("[data-passkey-error]");
  const button = form.querySelector("button[type=submit]");
  error.textContent = "";
  if (operation === "create" && !form.reportValidity()) {
    return;
  }
  button.disabled = true;
  try {
    const token = form.querySelector("input[name=__RequestVerificationToken]").value;
    const response = await fetch(form.dataset.passkeyOptions, {
      method: "POST",
      credentials: "same-origin",
      headers: { RequestVerificationToken: token },
    });
    // Adding a passkey needs a recent password or code: the server names its confirm page, which comes back here.
    const confirmAt = response.headers.get("X-Confirm-Location");
    if (response.status === 403 && confirmAt) {
      window.location.assign(confirmAt);
      return;
    }
    if (!response.ok) {
      throw new Error((await response.text()) || `The server answered ${response.status}.`);
    }
    const options = await response.json();
    const credential = operation === "create"
      ? await navigator.credentials.create({ publicKey: creationOptions(options) })
      : await navigator.credentials.get({ publicKey: requestOptions(options) });
    form.querySelector("input[name=CredentialJson]").value = credentialJson(credential);
    form.submit();
  } catch (failure) {
    error.textContent = messageFor(failure);
    button.disabled = false;
  }
};

if (supported) {
  for (const element of document.querySelectorAll("[data-passkey-ui]")) {
    element.hidden = false;
  }
  for (const element of document.querySelectorAll("[data-passkey-fallback]")) {
    element.hidden = true;
  }
  for (const form of document.querySelectorAll("form[data-passkey]")) {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      run(form);
    });
  }
}
