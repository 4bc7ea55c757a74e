"use client";

import { useEffect, useId, useRef, useState } from "react";
import Cropper, { type Area, type Point } from "react-easy-crop";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { FormError } from "@/components/ui/form-error";
import { Label } from "@/components/ui/label";
import { Progress } from "@/components/ui/progress";
import { toast } from "@/components/ui/toaster";
import { UploadCancelled, uploadAvatar, type AvatarUpload } from "./upload-avatar";

/** Crops a picked image to a square and uploads it, with progress and cancel. */
export function CropDialog({
  file,
  onClose,
  onUploaded,
}: {
  file: File;
  onClose: () => void;
  onUploaded: () => void;
}) {
  const [url, setUrl] = useState<string | null>(null);
  const [crop, setCrop] = useState<Point>({ x: 0, y: 0 });
  const [zoom, setZoom] = useState(1);
  const [area, setArea] = useState<Area | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const upload = useRef<AvatarUpload | null>(null);
  const zoomId = useId();

  useEffect(() => {
    const objectUrl = URL.createObjectURL(file);
    setUrl(objectUrl);
    return () => URL.revokeObjectURL(objectUrl);
  }, [file]);

  const start = async () => {
    setError(null);
    setProgress(0);
    const current = uploadAvatar(file, area, setProgress);
    upload.current = current;
    try {
      await current.promise;
      toast.success("Picture updated");
      onUploaded();
    } catch (e) {
      setProgress(null);
      if (e instanceof UploadCancelled) toast("Upload cancelled");
      else setError(e instanceof Error ? e.message : "The upload failed.");
    } finally {
      upload.current = null;
    }
  };

  const uploading = progress !== null;
  return (
    <Dialog
      open
      onOpenChange={(open) => {
        if (open) return;
        upload.current?.cancel();
        onClose();
      }}
    >
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Crop your picture</DialogTitle>
          <DialogDescription>
            Drag to position and zoom to frame it; arrow keys move the image too.
          </DialogDescription>
        </DialogHeader>
        <div className="relative mt-4 h-72 overflow-hidden rounded-lg bg-muted">
          {url ? (
            <Cropper
              image={url}
              crop={crop}
              zoom={zoom}
              aspect={1}
              cropShape="round"
              showGrid={false}
              onCropChange={setCrop}
              onZoomChange={setZoom}
              onCropComplete={(_area, pixels) => setArea(pixels)}
              mediaProps={{ alt: "The picture being cropped" }}
              cropperProps={{ "aria-label": "Crop area" }}
            />
          ) : null}
        </div>
        <div className="mt-4 space-y-1.5">
          <Label htmlFor={zoomId}>Zoom</Label>
          <input
            id={zoomId}
            type="range"
            min={1}
            max={3}
            step={0.05}
            value={zoom}
            disabled={uploading}
            onChange={(e) => setZoom(Number(e.target.value))}
            className="w-full accent-primary"
          />
        </div>
        {uploading ? (
          <div className="mt-4 space-y-1">
            <Progress value={progress} label="Uploading picture" />
            <p className="text-xs text-muted-foreground" aria-live="polite">
              Uploading… {Math.round(progress)}%
            </p>
          </div>
        ) : null}
        <div className="mt-4">
          <FormError message={error} />
        </div>
        <DialogFooter className="mt-4">
          {uploading ? (
            <Button variant="outline" onClick={() => upload.current?.cancel()}>
              Cancel upload
            </Button>
          ) : (
            <Button variant="outline" onClick={onClose}>
              Cancel
            </Button>
          )}
          <Button onClick={start} disabled={uploading || !area}>
            {uploading ? "Uploading…" : "Save picture"}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
