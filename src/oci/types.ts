/**
 * Data types of the OCI client: descriptors, manifests, indexes, blob sources and
 * references. Plain objects, no classes.
 *
 * @module
 */

/** An OCI content descriptor. */
export interface Descriptor {
  /** Media type of the referenced content. */
  mediaType: string;
  /** `algorithm:hex` digest of the content. */
  digest: string;
  /** Size of the content in bytes. */
  size: number;
  /** OCI 1.1 artifact type (descriptors of manifests in an index). */
  artifactType?: string;
  /** Free-form annotations. */
  annotations?: Record<string, string>;
  /** Platform (descriptors of manifests in an index). */
  platform?: Record<string, unknown>;
  /** Alternative download locations (never used by this client). */
  urls?: string[];
}

/** An OCI image manifest (also covers Docker's v2 schema 2 manifest). */
export interface ImageManifest {
  /** Always 2. */
  schemaVersion: 2;
  /** The manifest's own media type (OCI or Docker v2). */
  mediaType?: string;
  /** OCI 1.1 artifact type. */
  artifactType?: string;
  /** The config blob. */
  config: Descriptor;
  /** The layer blobs, in order. */
  layers: Descriptor[];
  /** OCI 1.1: the manifest this one refers to. */
  subject?: Descriptor;
  /** Free-form annotations. */
  annotations?: Record<string, string>;
}

/** An OCI image index (also covers Docker's manifest list). */
export interface ImageIndex {
  /** Always 2. */
  schemaVersion: 2;
  /** The index's own media type (OCI index or Docker manifest list). */
  mediaType?: string;
  /** OCI 1.1 artifact type. */
  artifactType?: string;
  /** The manifests it lists. */
  manifests: Descriptor[];
  /** OCI 1.1: the manifest this one refers to. */
  subject?: Descriptor;
  /** Free-form annotations. */
  annotations?: Record<string, string>;
}

/**
 * A blob that can be read as often as needed: every upload attempt calls `open()` again, so
 * a failed upload can be retried (a consumed stream cannot).
 */
export interface BlobSource {
  /** `sha256:…` digest of the bytes `open()` yields. */
  digest: string;
  /** Exact size in bytes. */
  size: number;
  /** Media type written into the manifest's descriptor. */
  mediaType: string;
  /** Annotations written into the manifest's descriptor. */
  annotations?: Record<string, string>;
  /** Opens a fresh stream of the blob's bytes. */
  open(): Promise<ReadableStream<Uint8Array>>;
}

/** A parsed reference `registry/namespace/name[:tag][@digest]`. */
export interface Reference {
  /** `host[:port]` (no scheme). */
  registry: string;
  /** Namespace: every path component before the name (may be empty). */
  namespace: string;
  /** The last path component. */
  name: string;
  /** `namespace/name`, or `name` when the namespace is empty. */
  repository: string;
  /** The tag, when given. */
  tag?: string;
  /** The digest, when given (it wins over the tag for fetches). */
  digest?: string;
}

/** Where a repository lives: the part of a {@linkcode Reference} that blob calls need. */
export interface RepositoryLocation {
  /** `host[:port]`. */
  registry: string;
  /** `namespace/name`. */
  repository: string;
}

/** One entry of a registry's error body (`{"errors":[{code,message,detail}]}`). */
export interface RegistryErrorEntry {
  /** The spec's error code (`MANIFEST_UNKNOWN`, `DENIED`…). */
  code: string;
  /** The registry's message. */
  message: string;
  /** Free-form detail, as sent. */
  detail?: unknown;
}

/** Progress of one blob transfer. */
export interface TransferProgress {
  /** The blob being transferred. */
  digest: string;
  /** Bytes sent or received so far. */
  transferred: number;
  /** Total bytes. */
  total: number;
}
