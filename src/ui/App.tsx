export function App() {
  return (
    <div className="app">
      <header className="app-header">
        <h1>Latent Calibration Studio</h1>
      </header>
    </div>
  );
}
