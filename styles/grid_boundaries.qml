<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis version="3.22.0" styleCategories="Symbology|Fields" labelsEnabled="0">
  <renderer-v2 type="categorizedSymbol" attr="follows_rd" forceraster="0" symbollevels="0" enableorderby="0">
    <categories>
      <category value="1" label="沿道路 follows a road" symbol="0" render="true"/>
      <category value="0" label="穿越街区 crosses a block" symbol="1" render="true"/>
    </categories>
    <symbols>
      <symbol type="line" name="0" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleLine" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="line_color" type="QString" value="60,60,60,255"/>
            <Option name="line_style" type="QString" value="solid"/>
            <Option name="line_width" type="QString" value="0.5"/>
            <Option name="line_width_unit" type="QString" value="MM"/>
          </Option>
        </layer>
      </symbol>
      <symbol type="line" name="1" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleLine" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="line_color" type="QString" value="200,0,0,255"/>
            <Option name="line_style" type="QString" value="dash"/>
            <Option name="line_width" type="QString" value="0.6"/>
            <Option name="line_width_unit" type="QString" value="MM"/>
          </Option>
        </layer>
      </symbol>
    </symbols>
  </renderer-v2>
  <aliases>
    <alias index="0" field="left_grid" name="左侧网格编码 grid code on the left"/>
    <alias index="1" field="right_grid" name="右侧网格编码 grid code on the right (empty: outer edge)"/>
    <alias index="2" field="follows_rd" name="沿道路 follows a road (1 = yes)"/>
    <alias index="3" field="length_m" name="长度（米） length (m)"/>
  </aliases>
</qgis>
