"use client";

/**
 * A multipart upload with progress and cancel (fetch cannot report upload progress). The
 * server's JSON error (`{ error: { message } }`) becomes the rejection's message.
 */
export interface UploadOptions {
  field?: string;
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

export class UploadError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = "UploadError";
  }
}

export function uploadFile<T>(url: string, file: File, options: UploadOptions = {}): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const request = new XMLHttpRequest();
    const body = new FormData();
    body.append(options.field ?? "file", file, file.name);
    request.open("POST", url);
    request.responseType = "json";
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) options.onProgress?.(event.loaded / event.total);
    };
    request.onload = () => {
      const response: unknown = request.response;
      if (request.status >= 200 && request.status < 300) {
        resolve(response as T);
        return;
      }
      const message =
        response &&
        typeof response === "object" &&
        "error" in response &&
        response.error &&
        typeof response.error === "object" &&
        "message" in response.error &&
        typeof response.error.message === "string"
          ? response.error.message
          : `The upload failed (${request.status})`;
      reject(new UploadError(message, request.status));
    };
    request.onerror = () =>
      reject(new UploadError("Parley could not be reached. Check your connection.", 0));
    request.onabort = () => reject(new DOMException("The upload was cancelled", "AbortError"));
    if (options.signal?.aborted) {
      reject(new DOMException("The upload was cancelled", "AbortError"));
      return;
    }
    options.signal?.addEventListener("abort", () => request.abort(), { once: true });
    request.send(body);
  });
}
