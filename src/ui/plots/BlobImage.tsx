import { useCallback, type ImgHTMLAttributes } from 'react';

export interface BlobImageProps extends Omit<ImgHTMLAttributes<HTMLImageElement>, 'src'> {
  /** A Blob (an object URL is made for it and revoked when the image leaves) or a URL the caller owns. */
  source: Blob | string | undefined;
  alt: string;
  /** Make the object URL only once the image scrolls near the viewport. */
  lazy?: boolean;
}

/**
 * An <img> for a Blob without leaking object URLs: the URL is created when the element mounts (or, when
 * `lazy`, first comes within 200 px of the viewport) and revoked when it unmounts or the Blob changes.
 */
export function BlobImage({ source, alt, lazy = false, ...rest }: BlobImageProps) {
  const ref = useCallback(
    (img: HTMLImageElement | null) => {
      if (!img || source === undefined) return;
      if (typeof source === 'string') {
        img.src = source;
        return;
      }
      let url: string | null = null;
      const attach = () => {
        if (url) return;
        url = URL.createObjectURL(source);
        img.src = url;
      };
      let observer: IntersectionObserver | null = null;
      if (lazy && typeof IntersectionObserver !== 'undefined') {
        observer = new IntersectionObserver(
          (entries) => {
            if (entries.some((e) => e.isIntersecting)) {
              attach();
              observer?.disconnect();
            }
          },
          { rootMargin: '200px' },
        );
        observer.observe(img);
      } else {
        attach();
      }
      return () => {
        observer?.disconnect();
        img.removeAttribute('src');
        if (url) URL.revokeObjectURL(url);
      };
    },
    [source, lazy],
  );
  return <img ref={ref} alt={alt} decoding="async" {...rest} />;
}
