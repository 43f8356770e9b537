import { Button } from 'antd';
import { useEffect, useRef, useState, type PointerEvent } from 'react';

/** Height of the drawing area in CSS pixels (room for a name written with a finger). */
const PAD_HEIGHT = 200;

/**
 * A signature pad: the finger (or mouse) draws on a canvas; 清除 wipes it, 确定 hands a PNG Blob to
 * the parent, 取消 closes it unchanged. The canvas is sized to the device's pixel ratio so strokes
 * stay sharp on phones.
 */
export function SignaturePad({
  large,
  onDone,
  onCancel,
}: {
  /** Field-app sizes (48px buttons, 17px text). */
  large: boolean;
  onDone: (png: Blob) => void;
  onCancel: () => void;
}) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const drawing = useRef<{ x: number; y: number } | null>(null);
  const [empty, setEmpty] = useState(true);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(PAD_HEIGHT * ratio);
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.scale(ratio, ratio);
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, width, PAD_HEIGHT);
    ctx.lineWidth = 3;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.strokeStyle = '#141414';
  }, []);

  const point = (e: PointerEvent<HTMLCanvasElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    return { x: e.clientX - rect.left, y: e.clientY - rect.top };
  };

  const onDown = (e: PointerEvent<HTMLCanvasElement>) => {
    e.currentTarget.setPointerCapture(e.pointerId);
    const p = point(e);
    drawing.current = p;
    const ctx = e.currentTarget.getContext('2d');
    if (!ctx) return;
    // A dot for a tap.
    ctx.beginPath();
    ctx.arc(p.x, p.y, 1.5, 0, Math.PI * 2);
    ctx.fillStyle = '#141414';
    ctx.fill();
    setEmpty(false);
  };
  const onMove = (e: PointerEvent<HTMLCanvasElement>) => {
    const from = drawing.current;
    if (!from) return;
    const to = point(e);
    const ctx = e.currentTarget.getContext('2d');
    if (!ctx) return;
    ctx.beginPath();
    ctx.moveTo(from.x, from.y);
    ctx.lineTo(to.x, to.y);
    ctx.stroke();
    drawing.current = to;
  };
  const onUp = () => {
    drawing.current = null;
  };

  const clear = () => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    setEmpty(true);
  };

  const done = () => {
    const canvas = canvasRef.current;
    if (!canvas || empty) return;
    setSaving(true);
    canvas.toBlob((blob) => {
      setSaving(false);
      if (blob) onDone(blob);
    }, 'image/png');
  };

  const buttonStyle = large ? { minHeight: 48, fontSize: 17, flex: 1 } : { flex: 1 };
  return (
    <div data-testid="signature-pad">
      <div
        style={{
          position: 'relative',
          border: '2px dashed #8c8c8c',
          borderRadius: 8,
          background: '#fff',
          overflow: 'hidden',
        }}
      >
        <canvas
          ref={canvasRef}
          aria-label="签字区域"
          onPointerDown={onDown}
          onPointerMove={onMove}
          onPointerUp={onUp}
          onPointerCancel={onUp}
          style={{ display: 'block', width: '100%', height: PAD_HEIGHT, touchAction: 'none' }}
        />
        {empty && (
          <span
            style={{
              position: 'absolute',
              inset: 0,
              display: 'flex',
              alignItems: 'center',
              justifyContent: 'center',
              color: '#8c8c8c',
              fontSize: large ? 17 : 14,
              pointerEvents: 'none',
            }}
          >
            请在此处用手指签名
          </span>
        )}
      </div>
      <div style={{ display: 'flex', gap: 8, marginTop: 8 }}>
        <Button style={buttonStyle} onClick={onCancel}>
          取消
        </Button>
        <Button style={buttonStyle} onClick={clear} disabled={empty}>
          清除
        </Button>
        <Button
          type="primary"
          style={buttonStyle}
          onClick={done}
          disabled={empty}
          loading={saving}
          data-testid="signature-done"
        >
          确定
        </Button>
      </div>
    </div>
  );
}
